"""User management: administrators manage everyone, a client administrator its own company."""
import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from tests.clients.support import field_error

NEW_PASSWORD = "a-long-enough-password"


def count_users(db):
    return db.session.scalar(select(func.count(User.id)))


def new_user(**overrides):
    data = dict(email="Li.Na@Example.com", name="李娜", role="staff", client_id="", locale="zh_Hans",
                password=NEW_PASSWORD, confirm=NEW_PASSWORD, active="y")
    return {**data, **overrides}


def edit_data(user, **overrides):
    data = dict(name=user.name, role=user.role, client_id=str(user.client_id or ""), locale=user.locale or "",
                active="y" if user.active else "")
    return {**data, **overrides}


# --- who may use the pages ------------------------------------------------------------------

@pytest.mark.parametrize("role", ("staff", "quality", "finance", "client_user"))
def test_other_roles_are_refused(client, make, role):
    other = make.user(role="client_user")
    client.login(make.user(role=role).email)
    for path in ("/users", "/users/new", f"/users/{other.id}/edit", f"/users/{other.id}/password"):
        assert client.get(path).status_code == 403, path
    assert client.post("/users/new", data=new_user()).status_code == 403


def test_an_administrator_lists_every_user(client, make):
    company = make.client(code="HUAXIA")
    make.user(role="client_user", client=company, name="张敏")
    make.user(role="finance", name="刘芳")
    client.login(make.user(role="admin").email)
    page = client.get("/users").get_data(as_text=True)
    assert "张敏" in page and "刘芳" in page and "HUAXIA" in page


def test_a_client_administrator_lists_only_its_own_company(client, make):
    mine, theirs = make.client(), make.client()
    me = make.user(role="client_admin", client=mine)
    make.user(role="client_user", client=mine, name="Colleague")
    make.user(role="client_user", client=theirs, name="Stranger")
    make.user(role="staff", name="Internal person")
    client.login(me.email)
    page = client.get("/users").get_data(as_text=True)
    assert "Colleague" in page
    assert "Stranger" not in page and "Internal person" not in page


def test_search_and_filters(client, make, db):
    company = make.client()
    make.user(role="client_user", client=company, name="Alice Wong", email="alice@example.com")
    make.user(role="finance", name="Bob Li", email="bob@example.com", active=False)
    make.user(role="staff", name="Carol Chan", email="carol@example.com")
    client.login(make.user(role="admin", name="Admin").email)

    def names(query):
        page = client.get("/users?" + query).get_data(as_text=True)
        return {n for n in ("Alice Wong", "Bob Li", "Carol Chan") if n in page}

    assert names("q=alice") == {"Alice Wong"}
    assert names("q=carol%40") == {"Carol Chan"}
    assert names("role=finance") == {"Bob Li"}
    assert names("active=no") == {"Bob Li"}
    assert names(f"client={company.id}") == {"Alice Wong"}
    assert "No user matches your search." in client.get("/users?q=zzz").get_data(as_text=True)


def test_the_list_is_paginated_and_runs_a_fixed_number_of_queries(client, make, small_pages, count_queries):
    client.login(make.user(role="admin", name="A admin").email)
    make.user(role="client_user", name="B user")
    with count_queries() as few:
        client.get("/users")
    for n in range(6):
        make.user(role="client_user", name=f"C user {n}")
    with count_queries() as many:
        page = client.get("/users").get_data(as_text=True)
    assert many[0] == few[0]
    assert "A admin" in page and "C user" not in page and "8 in all" in page


# --- an administrator creates and edits -----------------------------------------------------

def test_an_administrator_creates_an_internal_user_who_can_sign_in(client, make, db):
    client.login(make.user(role="admin").email)
    response = client.post("/users/new", data=new_user())
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "li.na@example.com"))
    assert created.role == "staff" and created.client_id is None and created.locale == "zh_Hans"
    assert created.password_hash != NEW_PASSWORD and created.check_password(NEW_PASSWORD)
    client.post("/logout")
    client.login("li.na@example.com", NEW_PASSWORD)


def test_an_administrator_creates_a_client_user_for_a_client(client, make, db):
    company = make.client()
    client.login(make.user(role="admin").email)
    form = client.get(f"/users/new?client={company.id}").get_data(as_text=True)
    assert f'<option selected value="{company.id}">' in form
    response = client.post("/users/new", data=new_user(role="client_user", client_id=str(company.id)))
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "li.na@example.com"))
    assert created.client_id == company.id


@pytest.mark.parametrize("overrides, field, message", [
    (dict(email=""), "email", "Enter the user's e-mail address."),
    (dict(email="not-an-address"), "email", "Enter a valid e-mail address."),
    (dict(name=" "), "name", "Enter the user's name."),
    (dict(name="N" * 121), "name", "Use at most 120 characters."),
    (dict(role="superuser"), "role", "Choose one of the roles offered."),
    (dict(role=""), "role", "Choose one of the roles offered."),
    (dict(locale="de"), "locale", "Choose one of the portal's languages."),
    (dict(password="short", confirm="short"), "password", "Use at least 10 characters."),
    (dict(password=""), "password", "Enter a new password."),
    (dict(confirm="something-else"), "confirm", "The two passwords differ."),
    (dict(role="client_user", client_id=""), "client_id",
     "A client role needs a client: choose the company this user belongs to."),
    (dict(role="client_user", client_id="999999"), "client_id", "Choose a client from the list."),
    (dict(role="client_user", client_id="abc"), "client_id", "Choose a client from the list."),
])
def test_bad_input_names_the_field_keeps_what_was_typed_and_writes_nothing(client, make, db, overrides, field, message):
    client.login(make.user(role="admin").email)
    before = count_users(db)
    response = client.post("/users/new", data=new_user(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, message), page
    if field != "name":
        assert 'value="李娜"' in page
    assert count_users(db) == before


def test_an_internal_role_with_a_client_is_refused(client, make, db):
    company = make.client()
    client.login(make.user(role="admin").email)
    before = count_users(db)
    response = client.post("/users/new", data=new_user(role="finance", client_id=str(company.id)))
    assert field_error(response.get_data(as_text=True), "Internal users belong to no client: leave the client empty.")
    assert count_users(db) == before


def test_an_e_mail_address_already_used_is_refused(client, make, db):
    make.user(role="staff", email="li.na@example.com")
    client.login(make.user(role="admin").email)
    before = count_users(db)
    response = client.post("/users/new", data=new_user(email="LI.NA@example.com"))
    assert field_error(response.get_data(as_text=True), "A user with e-mail li.na@example.com already exists.")
    assert count_users(db) == before


def test_an_administrator_edits_name_role_client_locale_and_active(client, make, db):
    company = make.client()
    target = make.user(role="staff")
    client.login(make.user(role="admin").email)
    assert client.get(f"/users/{target.id}/edit").status_code == 200
    response = client.post(f"/users/{target.id}/edit", data=edit_data(
        target, name="New Name", role="client_admin", client_id=str(company.id), locale="fr", active=""))
    assert response.status_code == 302
    db.session.refresh(target)
    assert (target.name, target.role, target.client_id, target.locale, target.active) == (
        "New Name", "client_admin", company.id, "fr", False)
    # and back to an internal role: the client must be cleared by the administrator
    refused = client.post(f"/users/{target.id}/edit", data=edit_data(target, role="quality"))
    assert field_error(refused.get_data(as_text=True), "Internal users belong to no client: leave the client empty.")
    client.post(f"/users/{target.id}/edit", data=edit_data(target, role="quality", client_id=""))
    db.session.refresh(target)
    assert (target.role, target.client_id) == ("quality", None)


def test_nobody_deactivates_or_demotes_themselves(client, make, db):
    admin = make.user(role="admin")
    client.login(admin.email)
    response = client.post(f"/users/{admin.id}/edit", data=edit_data(admin, active=""))
    assert field_error(response.get_data(as_text=True), "You cannot deactivate your own account.")
    response = client.post(f"/users/{admin.id}/edit", data=edit_data(admin, role="staff"))
    assert field_error(response.get_data(as_text=True), "You cannot change your own role.")
    db.session.refresh(admin)
    assert admin.active and admin.role == "admin"
    ok = client.post(f"/users/{admin.id}/edit", data=edit_data(admin, name="Renamed Admin"))
    assert ok.status_code == 302


def test_an_unknown_user_is_404(client, make):
    client.login(make.user(role="admin").email)
    assert client.get("/users/999999/edit").status_code == 404
    assert client.get("/users/999999/password").status_code == 404


# --- passwords ------------------------------------------------------------------------------

def test_an_administrator_sets_a_new_password(client, make, db):
    target = make.user(role="client_user")
    client.login(make.user(role="admin").email)
    short = client.post(f"/users/{target.id}/password", data={"new": "short", "confirm": "short"})
    assert field_error(short.get_data(as_text=True), "Use at least 10 characters.")
    differ = client.post(f"/users/{target.id}/password", data={"new": NEW_PASSWORD, "confirm": "other-password"})
    assert field_error(differ.get_data(as_text=True), "The two new passwords differ.")
    db.session.refresh(target)
    assert not target.check_password(NEW_PASSWORD)
    ok = client.post(f"/users/{target.id}/password", data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert ok.status_code == 302
    db.session.refresh(target)
    assert target.check_password(NEW_PASSWORD) and target.password_hash != NEW_PASSWORD


# --- a client administrator -----------------------------------------------------------------

def test_a_client_administrator_creates_users_of_its_own_company_only(client, make, db):
    mine, theirs = make.client(), make.client()
    me = make.user(role="client_admin", client=mine)
    client.login(me.email)
    form = client.get("/users/new").get_data(as_text=True)
    assert 'name="client_id"' not in form and mine.name in form
    response = client.post("/users/new", data=new_user(role="client_user", client_id=str(theirs.id)))
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "li.na@example.com"))
    assert created.client_id == mine.id and created.role == "client_user"


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_a_client_administrator_cannot_create_internal_users(client, make, db, role):
    me = make.user(role="client_admin")
    client.login(me.email)
    before = count_users(db)
    response = client.post("/users/new", data=new_user(role=role))
    assert field_error(response.get_data(as_text=True), "Choose one of the roles offered.")
    assert count_users(db) == before


def test_a_client_administrator_edits_its_colleagues(client, make, db):
    mine = make.client()
    me = make.user(role="client_admin", client=mine)
    colleague = make.user(role="client_user", client=mine)
    client.login(me.email)
    response = client.post(f"/users/{colleague.id}/edit", data=edit_data(colleague, role="client_admin", active=""))
    assert response.status_code == 302
    db.session.refresh(colleague)
    assert colleague.role == "client_admin" and not colleague.active and colleague.client_id == mine.id
    promoted = client.post(f"/users/{colleague.id}/edit", data=edit_data(colleague, role="admin"))
    assert field_error(promoted.get_data(as_text=True), "Choose one of the roles offered.")
    db.session.refresh(colleague)
    assert colleague.role == "client_admin"
    assert client.post(f"/users/{colleague.id}/password",
                       data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302


def test_another_companys_user_or_an_internal_user_is_404_for_a_client_administrator(client, make, db):
    me = make.user(role="client_admin")
    stranger = make.user(role="client_user")
    staff = make.user(role="staff")
    client.login(me.email)
    for target in (stranger, staff):
        assert client.get(f"/users/{target.id}/edit").status_code == 404
        assert client.post(f"/users/{target.id}/edit", data=edit_data(target, name="Hacked")).status_code == 404
        assert client.get(f"/users/{target.id}/password").status_code == 404
        assert client.post(f"/users/{target.id}/password",
                           data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 404
        db.session.refresh(target)
        assert target.name != "Hacked" and not target.check_password(NEW_PASSWORD)


def test_a_client_administrator_cannot_see_other_companies_in_the_filters(client, make):
    me = make.user(role="client_admin")
    other_company = make.client()
    make.user(role="client_user", client=other_company, name="Stranger")
    client.login(me.email)
    page = client.get(f"/users?client={other_company.id}").get_data(as_text=True)
    assert "Stranger" not in page and other_company.name not in page


def test_an_address_used_in_another_company_is_refused_without_showing_that_user(client, make, db):
    """The client administrator cannot see that user (tenancy), so the unique constraint answers."""
    make.user(role="staff", email="taken@example.com", name="Hidden Staff")
    me = make.user(role="client_admin")
    client.login(me.email)
    before = count_users(db)
    response = client.post("/users/new", data=new_user(role="client_user", email="taken@example.com"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "A user with e-mail taken@example.com already exists.")
    assert "Hidden Staff" not in page
    assert count_users(db) == before
