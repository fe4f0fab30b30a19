from portal.navigation import MenuEntry, menu


def labels(entries):
    return [(str(e.label), [str(c.label) for c in e.children]) for e in entries]


def test_menu_groups_entries_and_marks_the_active_one(app, db, make, client):
    user = make.user(role="admin")
    with app.test_request_context("/clients/7"):
        from flask_login import login_user

        login_user(user)
        entries = menu()
    assert all(isinstance(e, MenuEntry) for e in entries)
    admin_group = next(e for e in entries if str(e.label) == "Administration")
    assert admin_group.active and [c.active for c in admin_group.children].count(True) == 1
    assert str(entries[0].label) == "Home" and not entries[0].children


def test_a_group_of_one_becomes_a_single_entry(app, db, make):
    user = make.user(role="client_user")
    with app.test_request_context("/"):
        from flask_login import login_user

        login_user(user)
        entries = menu()
    assert all(len(e.children) != 1 for e in entries)
    assert "Administration" not in [str(e.label) for e in entries]


def test_pages_render_the_menu(client, make):
    user = make.user(role="staff")
    client.login(user.email)
    page = client.get("/").get_data(as_text=True)
    assert 'class="nav-link dropdown-toggle' in page and "After-sales" in page
