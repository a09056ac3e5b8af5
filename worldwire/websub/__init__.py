"""WebSub (W3C Recommendation), both ways: a subscriber that turns sources' hubs into
sub-second news, and a small hub that pushes WorldWire's own output feeds.

    state       push state per source, and our hub's subscriptions (plain data)
    discovery   hubs and topics from feeds and HTTP Link headers
    signature   X-Hub-Signature: signing and checking
    subscriber  subscribe, verify intent, receive content, renew, notice missed pushes
    inbox       pushed bodies coalesced per topic
    hub         our own hub: intent verification, leases, signed distribution
    runtime     both, started and stopped with the process
"""
