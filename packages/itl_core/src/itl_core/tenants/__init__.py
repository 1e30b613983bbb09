"""Tenants: the businesses that configure and embed the chatbot."""
