"""Demo brand clients and one user per role (README, "Demo logins")."""
from __future__ import annotations

from werkzeug.security import generate_password_hash

from ..auth.models import User
from ..clients.models import Client
from ..extensions import db

DEMO_PASSWORD = "demo-password-2026"

CLIENTS = [
    dict(code="HUAXIA", name="华夏视界电子有限公司", market="domestic", locale="zh_Hans", currency="CNY",
         contact_name="王磊", contact_email="service@huaxia.example.cn", contact_phone="+86 755 8888 1234",
         address="深圳市南山区科技园 88 号"),
    dict(code="PEARL", name="明珠視聽國際有限公司", market="overseas", locale="zh_Hant_HK", currency="USD",
         contact_name="陳家明", contact_email="aftersales@pearl-av.example.hk", contact_phone="+852 2345 6789",
         address="香港九龍觀塘道 398 號"),
    dict(code="LUMIERE", name="Lumière Électronique SA", market="overseas", locale="fr", currency="EUR",
         contact_name="Claire Dubois", contact_email="sav@lumiere.example.fr", contact_phone="+33 1 44 55 66 77",
         address="12 rue de la Paix, 75002 Paris"),
    dict(code="VISTAMAR", name="Vistamar Electrónica S.A. de C.V.", market="overseas", locale="es", currency="USD",
         contact_name="Alejandro Ramírez", contact_email="posventa@vistamar.example.mx",
         contact_phone="+52 81 8123 4567", address="Av. Constitución 2050, 64000 Monterrey, N.L., México"),
]

# (e-mail, name, role, client code or None for the ODM's own staff, language)
USERS = [
    ("admin@odm.example.com", "系统管理员 Admin", "admin", None, "en"),
    ("service@odm.example.com", "李娜 Li Na", "staff", None, "zh_Hans"),
    ("quality@odm.example.com", "周强 Zhou Qiang", "quality", None, "zh_Hans"),
    ("finance@odm.example.com", "刘芳 Liu Fang", "finance", None, "zh_Hans"),
    ("tech.chen@odm.example.com", "陈伟 Chen Wei", "staff", None, "zh_Hans"),  # on-site technician
    ("tech.zhao@odm.example.com", "赵军 Zhao Jun", "staff", None, "zh_Hans"),  # on-site technician
    ("admin@huaxia.example.cn", "王磊", "client_admin", "HUAXIA", "zh_Hans"),
    ("user@huaxia.example.cn", "张敏", "client_user", "HUAXIA", "zh_Hans"),
    ("admin@pearl-av.example.hk", "陳家明", "client_admin", "PEARL", "zh_Hant_HK"),
    ("user@pearl-av.example.hk", "黃美玲", "client_user", "PEARL", "zh_Hant_HK"),
    ("admin@lumiere.example.fr", "Claire Dubois", "client_admin", "LUMIERE", "fr"),
    ("user@lumiere.example.fr", "Luis García", "client_user", "LUMIERE", "es"),
    ("admin@vistamar.example.mx", "Alejandro Ramírez", "client_admin", "VISTAMAR", "es"),
    ("user@vistamar.example.mx", "Sofía Hernández", "client_user", "VISTAMAR", "es"),
]


def create_people() -> dict[str, Client]:
    """Add the demo clients and users to the session; returns the clients by code."""
    clients = {c["code"]: Client(**c) for c in CLIENTS}
    db.session.add_all(clients.values())
    # Every demo account has the same published password, so one hash serves them all
    # (hashing is deliberately slow: a tenth of a second each).
    password_hash = generate_password_hash(DEMO_PASSWORD)
    for email, name, role, client_code, locale in USERS:
        db.session.add(User(email=email, name=name, role=role, locale=locale, password_hash=password_hash,
                            client=clients[client_code] if client_code else None))
    return clients
