"""Notices in the portal: short messages to a client's users ("a new version of a document
you use was published"), shown as a count in the navbar and on the notices page.
Any capability posts one with `portal.notices.services.post_notice(...)`; its text is a key
registered in `portal.notices.texts.NOTICE_TEXTS` and rendered in the reader's language."""
