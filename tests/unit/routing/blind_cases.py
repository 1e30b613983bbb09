"""A second held-out set for the demo tenant's router, written AFTER the tuning and scored once.

``frozen_held_out.FROZEN_HELD_OUT`` was written before the router and the demo agents' hints
were improved, but its author had it in view while improving them. This set was written after
that work (commit 9b67dea), committed before the router ever saw it, and scored once: it is
the blind estimate of how the routing generalises. It is never used for tuning; a wrong
routing here is a finding, not a reason to edit the hints or the labels.

Labelling convention: as in ``frozen_held_out``.
"""

from __future__ import annotations

from tests.unit.routing.routing_cases import CUSTOMS, FAQ, HANDOFF, QUOTES, TRACKING

BLIND: tuple[tuple[str, str], ...] = (
    # Tracking
    ("Hi, can you check where order 7781 is?", TRACKING),
    ("ITL-665432", TRACKING),
    ("Has consignment ITL-300300 been handed over to the receiver?", TRACKING),
    ("our shipment left Gdansk on the 3rd, when is it due in Oslo?", TRACKING),
    ("Ma palette est-elle partie ?", TRACKING),
    ("Lieferstatus für Auftrag 4471?", TRACKING),
    ("the goods still haven't turned up at our dock", TRACKING),
    ("is the container MSKU4455667 discharged yet", TRACKING),
    ("Why has nobody delivered my parcel, I stayed home all day", TRACKING),
    ("what's the latest on the Felixstowe container?", TRACKING),
    # Customs and documents
    ("Do I need a phytosanitary certificate for wooden crates?", CUSTOMS),
    ("how are import duties calculated for goods from Japan", CUSTOMS),
    ("Can you handle the customs formalities in Switzerland for us?", CUSTOMS),
    ("What's the difference between DAP and DDP for the buyer?", CUSTOMS),
    ("Einfuhrumsatzsteuer auf Ersatzteile aus den USA?", CUSTOMS),
    ("We lost the original B/L, what do we do?", CUSTOMS),
    ("is an ATA carnet needed for exhibition goods?", CUSTOMS),
    ("who must sign the export declaration", CUSTOMS),
    ("Quels sont les droits de douane pour du vin vers la Chine ?", CUSTOMS),
    ("Do you need our EORI for the import into the EU?", CUSTOMS),
    # Quotes and booking
    ("What would you charge for 8 pallets Rotterdam to Dublin?", QUOTES),
    ("Looking for a competitive offer sea freight Durban to Antwerp", QUOTES),
    ("need a truck tomorrow for 24 pallets, possible?", QUOTES),
    ("Preisanfrage: 2x40' Shanghai - Hamburg", QUOTES),
    ("tarif pour 300 kg en express vers Lisbonne ?", QUOTES),
    ("How much would it be to move a machine of 5 tons to Poland?", QUOTES),
    ("I'd like to book a collection from our warehouse in Leeds", QUOTES),
    ("Can we postpone the pickup to Monday?", QUOTES),
    ("Which is cheapest for 2 pallets to Greece: road or sea?", QUOTES),
    ("Do you have space on the Friday sailing to Helsinki?", QUOTES),
    # Talk to a human
    ("operator!!", HANDOFF),
    ("I need a real person, this is urgent", HANDOFF),
    ("Please let someone from your team contact me", HANDOFF),
    ("Can I call someone?", HANDOFF),
    ("kann mich bitte jemand anrufen?", HANDOFF),
    ("Je veux parler à un conseiller", HANDOFF),
    ("I'm fed up with this chatbot", HANDOFF),
    ("who is my account manager? I want to talk to her", HANDOFF),
    ("Put me in touch with the sales department", HANDOFF),
    ("This is the third time I ask, I want to complain to a supervisor", HANDOFF),
    # General questions
    ("hello there", FAQ),
    ("What are your office hours on Friday?", FAQ),
    ("Do you deliver to Ireland?", FAQ),
    ("Do you have a depot in Lyon?", FAQ),
    ("Can I pay by direct debit?", FAQ),
    ("Are you ISO 14001 certified?", FAQ),
    ("How do I add a colleague to our portal account?", FAQ),
    ("Do you offer pallet storage?", FAQ),
    ("merci beaucoup", FAQ),
    ("What's ITL's email?", FAQ),
)
