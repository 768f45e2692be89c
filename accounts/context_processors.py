from accounts.roles import Role, role_of


def role(request):
    user = getattr(request, "user", None)
    current = role_of(user) if user is not None else None
    return {"role": current, "Role": Role}
