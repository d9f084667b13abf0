"""Signing a demo account in through the login page, as a person does."""


def sign_in(page, base: str, lang: str, account: str, then: str = "") -> None:
    """Sign `demo-<account>` in on the entry login page (password demo-<account>), then go to
    `then` (a path under /<lang>/) if given."""
    page.goto(f"{base}/{lang}/entry/login/")
    page.fill("#id_username", f"demo-{account}")
    page.fill("#id_password", f"demo-{account}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if then:
        page.goto(f"{base}/{lang}/{then}")
