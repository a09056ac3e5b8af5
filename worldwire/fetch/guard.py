"""Which addresses outbound requests may reach. Private, loopback, link-local and
reserved addresses are refused on the resolved IP (so DNS cannot smuggle them in),
unless the operator's allow-list names the host or a network holding the IP."""

from __future__ import annotations

import ipaddress

from worldwire.errors import BlockedAddress, SettingsError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class NetworkGuard:
    def __init__(self, allow: tuple[str, ...] | list[str] = ()) -> None:
        self._hosts: set[str] = set()
        self._networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in allow:
            item = item.strip().lower()
            if not item:
                continue
            try:
                self._networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                if "/" in item or " " in item:
                    raise SettingsError(f"allow_networks: {item!r} is not a host or CIDR") from None
                self._hosts.add(item.rstrip("."))

    def host_allowed(self, host: str) -> bool:
        """Whether the operator named this host itself: its addresses are then trusted."""
        return host.lower().rstrip(".") in self._hosts

    def check_ip(self, ip: str | IPAddress, url: str = "") -> None:
        address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if any(address in net for net in self._networks):
            return
        if not address.is_global or address.is_multicast:
            raise BlockedAddress(
                f"refused: {address} is a private, loopback, link-local or reserved address "
                "(add it to allow_networks to permit it)",
                url=url,
            )

    def check_host(self, host: str, url: str = "") -> None:
        """Check a URL's host when it is an IP literal; names are checked once resolved."""
        host = host.strip("[]")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return
        if not self.host_allowed(host):
            self.check_ip(address, url)
