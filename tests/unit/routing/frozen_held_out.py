"""A frozen held-out set for the demo tenant's router, written BEFORE any routing tuning.

Written from what customers of a freight forwarder write (typos, shorthand, French and German
words, one-word messages, messages with two intents), committed before the router or the
agents' hints were changed, and never used to tune them: the agents' hints must generalise to
it, not be fitted to it. Do not edit these messages or labels to make the router pass; a wrong
routing is a finding to report.

Labelling convention: the agent that should answer the message first. An explicit request for a
person wins over everything else in the message; a question about the customer's own goods in
motion is tracking; a question about the company or the customer's account (not about one
shipment) is FAQ, even when it uses a word like "invoice" or "VAT".
"""

from __future__ import annotations

from tests.unit.routing.routing_cases import CUSTOMS, FAQ, HANDOFF, QUOTES, TRACKING

FROZEN_HELD_OUT: tuple[tuple[str, str], ...] = (
    # Tracking
    ("wheres my parcel??", TRACKING),
    ("status update on ITL-204455 pls", TRACKING),
    ("shipment ITL 204455 still not arrived", TRACKING),
    ("Container CMAU3344556 - any update?", TRACKING),
    ("delivery was supposed to be yesterday, nothing came", TRACKING),
    ("Wo ist meine Sendung ITL-310022?", TRACKING),
    ("Où est mon colis ?", TRACKING),
    ("Has the truck been loaded yet and when does it get to Lyon?", TRACKING),
    ("The consignee says the pallets never showed up", TRACKING),
    ("Is our cargo on the vessel or was it rolled to the next sailing?", TRACKING),
    ("expected delivery date for order 55123?", TRACKING),
    ("trackin nr ITL-009988", TRACKING),
    ("Sendungsstatus bitte", TRACKING),
    ("Can you tell me where the driver is right now?", TRACKING),
    ("did the goods reach your warehouse in Duisburg yet?", TRACKING),
    ("my shipmnet still hasnt moved since friday", TRACKING),
    # Customs and documents
    ("do i need to pay duty on spare parts from the UK after brexit?", CUSTOMS),
    ("what is DAP exactly", CUSTOMS),
    ("Zollabfertigung für eine Sendung aus China, was brauchen Sie von uns?", CUSTOMS),
    ("dédouanement import Maroc, quels documents ?", CUSTOMS),
    ("Our shipment is blocked by customs, they want an invoice with HS codes", CUSTOMS),
    ("can you issue the EUR.1 movement certificate?", CUSTOMS),
    ("who is the importer of record if we ship DDP to Canada", CUSTOMS),
    ("Do I need an export licence for dual use items?", CUSTOMS),
    ("What's the commodity code for LED lamps?", CUSTOMS),
    ("AWB copy needed for my accountant", CUSTOMS),
    ("are samples with no commercial value duty free?", CUSTOMS),
    ("which incoterm should I use if I want the seller to handle everything?", CUSTOMS),
    ("T1 transit document - do you prepare it?", CUSTOMS),
    ("Need a proforma invoice for custms in India", CUSTOMS),
    ("what are the import restrictions for food products into Australia", CUSTOMS),
    ("Is there anti-dumping duty on aluminium from China?", CUSTOMS),
    # Quotes and booking
    ("can you qoute 2 pallets Paris -> Brussels", QUOTES),
    ("quote for FCL 40HC Ningbo to Felixstowe", QUOTES),
    ("Was kostet ein Container nach Istanbul?", QUOTES),
    ("Combien coûte l'envoi d'une palette à Marseille ?", QUOTES),
    ("Angebot für LKW Transport Stuttgart - Wien", QUOTES),
    ("devis pour un conteneur 20 pieds vers Abidjan", QUOTES),
    ("How fast and how expensive is air freight to Lagos?", QUOTES),
    ("I need to ship a car from Bremerhaven to Baltimore, what are my options and costs?", QUOTES),
    ("can i reserve a slot for pickup tomorrow morning", QUOTES),
    ("Cancel my booking for next week please", QUOTES),
    ("Budget estimate for moving our office equipment to Warsaw", QUOTES),
    ("what's cheaper, groupage or a dedicated truck?", QUOTES),
    ("Do you have capacity for 12 pallets to Milan on Friday?", QUOTES),
    ("Need rates Shanghai-Hamburg for Q3, around 20 containers a month", QUOTES),
    ("how much for 500kg by air to nyc", QUOTES),
    ("Please arrange a pickup at our factory in Lyon", QUOTES),
    # Talk to a human
    ("agent please", HANDOFF),
    ("human", HANDOFF),
    ("I'd rather talk to someone, not a bot", HANDOFF),
    ("Can somebody from sales phone me?", HANDOFF),
    ("Ich möchte mit einem Mitarbeiter sprechen", HANDOFF),
    ("je voudrais parler à quelqu'un", HANDOFF),
    ("your bot doesn't understand me, put me through to a colleague", HANDOFF),
    ("I want to escalate this to your manager", HANDOFF),
    ("please call me on +49 170 1234567", HANDOFF),
    ("Need a live chat with support", HANDOFF),
    ("connect me to my contact at ITL", HANDOFF),
    ("where is ITL-123456? I want to speak to a human about it", HANDOFF),
    ("I'm very unhappy with your service and want to make a formal complaint", HANDOFF),
    ("Can I get a representative?", HANDOFF),
    ("talk to sales rep", HANDOFF),
    ("nobody answers my emails, I need someone to help me now", HANDOFF),
    # General questions
    ("hi", FAQ),
    ("Bonjour", FAQ),
    ("Guten Tag, wann haben Sie geöffnet?", FAQ),
    ("what time do you close on saturdays", FAQ),
    ("Do you ship to the UK?", FAQ),
    ("Are you hiring drivers?", FAQ),
    ("What is your VAT number?", FAQ),
    ("How do I change the email address on my account?", FAQ),
    ("Do you do last-mile delivery for e-commerce?", FAQ),
    ("where can i find your terms and conditions", FAQ),
    ("Do you store goods? we need a warehouse for 3 months", FAQ),
    ("ok thanks", FAQ),
    ("Is your company carbon neutral?", FAQ),
    ("Can I get my invoices sent by email?", FAQ),
    ("Do you accept PayPal?", FAQ),
    ("What does ITL stand for?", FAQ),
    ("forgot my login", FAQ),
)

# Follow-ups within a session: (the session's current agent, the message, the expected agent).
# A short follow-up stays where the conversation is; a message that clearly belongs elsewhere
# moves.
FROZEN_FOLLOW_UPS: tuple[tuple[str, str, str], ...] = (
    (QUOTES, "and for 3 pallets?", QUOTES),
    (QUOTES, "what about by air?", QUOTES),
    (QUOTES, "yes please book it", QUOTES),
    (TRACKING, "and ITL-555666?", TRACKING),
    (TRACKING, "ok, and when exactly?", TRACKING),
    (CUSTOMS, "and for Norway?", CUSTOMS),
    (CUSTOMS, "what about the certificate?", CUSTOMS),
    (FAQ, "thanks", FAQ),
    (TRACKING, "how much would it cost to ship another one?", QUOTES),
    (QUOTES, "where is my shipment ITL-123456?", TRACKING),
    (QUOTES, "I want to talk to a person", HANDOFF),
    (TRACKING, "what documents do I need for customs in Norway?", CUSTOMS),
)
