"""The public form of the volunteers' facts (ledger/public.py): none; role changes are withheld.

A role fact is about one person, and its stream is named by their volunteer id: published even
without the id, the stream and the time would let anyone follow one person's powers. No public
figure needs them; the audit of who gave whom which power is the ledger itself, for the operator.
"""

from django.utils.translation import gettext_lazy as _

from ledger.public import withhold

withhold("RoleGranted", "RoleRevoked", why=_("a role is a matter of one person's account"))
