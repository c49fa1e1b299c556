"""The demo's e-mail back-end: Django's console back-end, with each message printed as a person reads
it (headers decoded, the text as written) rather than as MIME bytes, where quoted-printable encoding
cuts long links with « = » and turns accents into « =C3=A9 »: the link to choose a password can be
clicked in the terminal."""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message: Any) -> None:
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
        ]
        if getattr(message, "attachments", None):
            names = [a.filename if hasattr(a, "filename") else a[0] for a in message.attachments]
            lines.append(f"Attachments: {', '.join(str(n) for n in names)}")
        self.stream.write("\n".join(lines) + "\n\n" + message.body.rstrip("\n") + "\n")
        self.stream.write("-" * 79 + "\n")
