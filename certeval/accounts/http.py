"""The request type of views and endpoints that require a signed-in user.

``login_required`` (and the API's session authentication) let only authenticated users through,
so ``request.user`` is a :class:`User`, never an ``AnonymousUser``. Annotating such a view's
request with :class:`AuthenticatedHttpRequest` tells the type checker so (the pattern that
django-stubs documents); nothing changes at run time.
"""

from django.http import HttpRequest

from certeval.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
