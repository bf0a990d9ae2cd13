"""Business rules that change state. Views, tasks and the API call these."""
