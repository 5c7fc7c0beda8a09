from routing.models.operations import Heartbeat, WorkerCheck

__all__ = ["Heartbeat", "WorkerCheck"]
