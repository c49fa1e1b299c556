"""Open Badges 3.0 verifiable credentials, without Django.

``contexts`` (the pinned JSON-LD contexts and RDF canonicalisation, offline), ``multikey`` (Ed25519
keys as Multikey), ``data_integrity`` (the ``eddsa-rdfc-2022`` proof), ``vc_jwt`` (the VC-JWT
signature), ``status_list`` (the W3C Bitstring Status List), ``build`` (an ``OpenBadgeCredential``
from plain data), ``schema`` (the official JSON schema), ``baking`` (a PNG carrying the credential) and
``verify`` (all checks together, with their reasons).
"""
