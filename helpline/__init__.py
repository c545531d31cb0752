"""The composition of the helpline: the `helpline` command and its run modes wire the backend
(`api`, which never imports a channel adapter) to the Telegram adapter (`bot`)."""
