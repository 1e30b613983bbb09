"""Questions a customer might ask, each with the demo document that answers it.

Written from the customer's side, in their words (not copied from the texts), so that both
vocabulary matches and mismatches occur.
"""

from __future__ import annotations

FAQ = "Shipping FAQ"
INCOTERMS = "Incoterms 2020 overview"
PACKAGING = "Packaging and labelling rules"
CUSTOMS = "Customs documents checklist"
DG = "Dangerous goods guide"
CLAIMS = "Cargo claims and insurance"

QUESTIONS: list[tuple[str, str]] = [
    ("What documents do I need for customs?", CUSTOMS),
    ("What must a commercial invoice contain?", CUSTOMS),
    ("Do I need an EORI number to import into the EU?", CUSTOMS),
    ("What is an HS code and why does it matter?", CUSTOMS),
    ("How do I prove preferential origin to get lower duty?", CUSTOMS),
    ("How is import VAT calculated on the customs value?", CUSTOMS),
    ("Why is my container held by customs?", CUSTOMS),
    ("Do you need a power of attorney to clear my goods?", CUSTOMS),
    ("What is the difference between a packing list and an invoice?", CUSTOMS),
    ("Who pays duties under DDP?", INCOTERMS),
    ("When does risk pass to the buyer under FOB?", INCOTERMS),
    ("Should I use FCA or FOB for container shipments?", INCOTERMS),
    ("What replaced DAT in Incoterms 2020?", INCOTERMS),
    ("How much insurance must the seller buy under CIP?", INCOTERMS),
    ("What does Ex Works mean for the buyer?", INCOTERMS),
    ("Which Incoterm makes the seller unload the goods at destination?", INCOTERMS),
    ("Who arranges export clearance under the different rules?", INCOTERMS),
    ("What is the maximum height of a pallet for air freight?", PACKAGING),
    ("Do wooden crates need ISPM 15 heat treatment?", PACKAGING),
    ("How should I tape and cushion cartons?", PACKAGING),
    ("Where do I put the shipping label on a pallet?", PACKAGING),
    ("What is the verified gross mass VGM of a container?", PACKAGING),
    ("How do I prevent condensation in a sea container?", PACKAGING),
    ("How do I mark pallets that cannot be stacked?", PACKAGING),
    ("Should reefer cargo be pre-cooled before loading?", PACKAGING),
    ("Can I ship lithium batteries by air?", DG),
    ("What are the nine hazard classes?", DG),
    ("Which regulations apply to hazardous goods by sea?", DG),
    ("What is a safety data sheet needed for?", DG),
    ("What are limited quantities of dangerous goods?", DG),
    ("How early must I book a hazmat shipment?", DG),
    ("How long do I have to report hidden damage after a road delivery?", CLAIMS),
    ("How much does the carrier pay if my goods are lost by air?", CLAIMS),
    ("What is general average?", CLAIMS),
    ("How do I file a claim for damaged cargo?", CLAIMS),
    ("Is all-risks cargo insurance worth it?", CLAIMS),
    ("What should I write on the delivery note if boxes are crushed?", CLAIMS),
    ("How long does sea freight take from China to Europe?", FAQ),
    ("What is the difference between FCL and LCL?", FAQ),
    ("What are demurrage and detention charges?", FAQ),
    ("Can I cancel my booking?", FAQ),
    ("What happens if nobody is home for the delivery?", FAQ),
    ("Which surcharges can appear on my invoice?", FAQ),
    ("What information do you need to give me a quote?", FAQ),
    ("Do you deliver pallets to private addresses?", FAQ),
    ("What payment terms do you offer?", FAQ),
]
