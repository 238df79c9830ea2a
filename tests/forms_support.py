"""Posting a record's edit or delete page the way a browser does: open the page first, then send
the form with the hidden fields it carries (``loaded_change``, the version the page showed)."""
import re


def submit(client, url, data=None):
    """GET ``url`` and POST ``data`` with the page's ``loaded_change``; a page the user may not
    open (403) is posted as it is."""
    page = client.get(url)
    payload = dict(data or {})
    if page.status_code == 200:
        found = re.search(r'name="loaded_change" value="(\d*)"', page.content.decode())
        if found:
            payload.setdefault("loaded_change", found.group(1))
    return client.post(url, payload)
