from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import post_delete, post_migrate

        from accounts import audit, sessions
        from accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        auth_signals.user_logged_in.connect(sessions.start_clock, dispatch_uid="accounts.clock")
        auth_signals.user_logged_in.connect(audit.record_signed_in, dispatch_uid="accounts.in")
        auth_signals.user_logged_out.connect(audit.record_signed_out, dispatch_uid="accounts.out")
        auth_signals.user_login_failed.connect(
            audit.record_sign_in_failed, dispatch_uid="accounts.failed"
        )
        post_delete.connect(
            sessions.end_sessions_without_second_factor,
            sender="mfa.Authenticator",
            dispatch_uid="accounts.authenticator_removed",
        )
