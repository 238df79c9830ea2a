"""Records (floor 3 of STYLE.md): one registry of the record types staff keep, and what is built
from it — record forms, list pages, the 台账 menu, the records index and the project's record
page. See ``records.registry``."""
