import pytest

from portal.i18n import locale_from_accept_language


@pytest.mark.parametrize(
    "header, expected",
    [
        ("zh-HK", "zh_Hant_HK"),
        ("zh-TW", "zh_Hant_HK"),
        ("zh-Hant", "zh_Hant_HK"),
        ("zh-MO,en;q=0.5", "zh_Hant_HK"),
        ("zh-CN", "zh_Hans"),
        ("zh-SG", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-Hans-HK", "zh_Hans"),
        ("fr-CA,fr;q=0.9", "fr"),
        ("es-419", "es"),
        ("de-DE,en-GB;q=0.8", "en"),
        ("en;q=0.2,zh-TW;q=0.9", "zh_Hant_HK"),
        ("de", None),
        ("", None),
    ],
)
def test_accept_language_maps_by_script_and_region(header, expected):
    assert locale_from_accept_language(header) == expected


def test_login_page_follows_the_browser(client):
    page = client.get("/login", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert 'lang="zh-Hant-HK"' in page


def test_language_switch_is_remembered_for_the_user(client, make, db):
    user = make.user(role="client_user", locale="zh_Hans")
    client.login(user.email)
    client.post("/language", data={"locale": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client, make, db):
    user = make.user(role="client_user", locale="fr")
    client.login(user.email)
    client.post("/language", data={"locale": "xx"})
    db.session.refresh(user)
    assert user.locale == "fr"
