from django.urls import path

from transparency.api import views, witness

urlpatterns = [
    path("log/checkpoints/", views.CheckpointListView.as_view(), name="log-checkpoints"),
    path("log/checkpoints/latest/", views.LatestCheckpointView.as_view(), name="log-checkpoint-latest"),
    path("log/checkpoints/<int:size>/", views.CheckpointView.as_view(), name="log-checkpoint"),
    path("log/proofs/inclusion/", views.InclusionProofView.as_view(), name="log-inclusion-proof"),
    path("log/proofs/consistency/", views.ConsistencyProofView.as_view(), name="log-consistency-proof"),
    path("log/key/", views.VerifierKeyView.as_view(), name="log-key"),
    path("log/cosignatures/", witness.CosignatureView.as_view(), name="log-cosignatures"),
]
