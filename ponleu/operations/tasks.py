from django_tasks import task


@task()
def heartbeat() -> str:
    """Does nothing: ``ponleu doctor`` enqueues it and waits to see a worker take it."""
    return "alive"
