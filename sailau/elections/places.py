"""A station's place as a person reads it: its settlement, then its address, the settlement once.

Pure Python (the printed protocol, which has no Django, reads it too). A town's stations are
recorded with the town as their settlement and an address that begins with it ("Ақтөбе, Абай
даңғылы, 5"); putting the two side by side read "Ақтөбе, Ақтөбе, Абай даңғылы, 5"."""


def address_line(settlement: str, address: str) -> str:
    """The settlement, then the address, the settlement once when the address already begins
    with it ("Мәскеу, Қазақстан Республикасының елшілігі", not "Мәскеу, Мәскеу, ...") or is
    it ("Ақтөбе", not "Ақтөбе, Ақтөбе"); case is ignored."""
    settlement, address = (settlement or "").strip(), (address or "").strip()
    if not settlement or address.casefold().startswith(settlement.casefold()):
        return address or settlement
    return ", ".join(x for x in (settlement, address) if x)
