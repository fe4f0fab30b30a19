"""Outgoing e-mail: through SMTP when MAIL_SERVER is configured, otherwise written as .eml
files to the outbox folder (OUTBOX_DIR, default instance/outbox) for a person or a relay."""
from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app


def outbox_dir() -> Path:
    path = Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_message(to, subject: str, body: str, attachments=()) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = ", ".join([to] if isinstance(to, str) else to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="odm-portal.local")
    message.set_content(body)
    for filename, content, mimetype in attachments:
        maintype, _, subtype = mimetype.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send_mail(to, subject: str, body: str, attachments=()) -> str:
    """Send (or file) one e-mail. `attachments`: (filename, bytes, mimetype) triples.
    Returns where it went: "smtp" or the outbox file's path."""
    message = build_message(to, subject, body, attachments)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
        return "smtp"
    path = outbox_dir() / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))
    return str(path)
