"""HTTP JSON API of the answer engine: GET or POST /api/v1/ask."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from antwoord.lib.text import normalise_text

from .learning import record_feedback
from .serializers import (
    AskResponseSerializer,
    AskSerializer,
    ErrorSerializer,
    FeedbackSerializer,
    MessageSerializer,
)
from .services import AUDIENCES, ask, current_engine


class AskView(APIView):
    """Ask a question (q or question), optionally with postcode, municipality and audience."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Een vraag stellen",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="De vraag (ook als 'question')."),
            OpenApiParameter("question", OpenApiTypes.STR),
            OpenApiParameter("postcode", OpenApiTypes.STR),
            OpenApiParameter(
                "municipality",
                OpenApiTypes.STR,
                description="Zonder postcode: gemeente of andere plaatsnaam (ook een voormalige gemeente).",
            ),
            OpenApiParameter("audience", OpenApiTypes.STR, enum=list(AUDIENCES)),
        ],
        responses={200: AskResponseSerializer, 400: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        data = request.query_params.dict()
        if "q" in data and "question" not in data:
            data["question"] = data.pop("q")
        return self._answer(data)

    @extend_schema(
        summary="Een vraag stellen",
        request=AskSerializer,
        responses={200: AskResponseSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            return Response({"detail": "Stuur een JSON-object met ten minste 'question'."}, status=400)
        return self._answer(request.data)

    def _answer(self, data: dict[str, Any]) -> Response:
        if isinstance(data.get("question"), str):
            data = {
                **data,
                "question": normalise_text(data["question"]),
            }  # control characters go, the rest stays
        serializer = AskSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        response = ask(
            values["question"],
            postcode=values["postcode"],
            municipality=values["municipality"],
            audience=values["audience"],
        )
        return Response(response.as_dict())


class FeedbackView(APIView):
    """ "Was dit nuttig?": one vote per visitor per answer and question; it nudges later rankings."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Was dit nuttig?",
        request=FeedbackSerializer,
        responses={201: MessageSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            return Response({"detail": "Stuur een JSON-object."}, status=400)
        serializer = FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        voter = request.session.session_key or request.META.get("REMOTE_ADDR", "")
        try:
            record_feedback(
                current_engine(),
                str(values["question"]),
                str(values["answer_key"]),
                helpful=bool(values["helpful"]),
                voter=voter,
            )
        except LookupError as error:
            raise ValidationError({"answer_key": [str(error)]}) from None
        return Response({"message": "Dank u wel voor uw reactie."}, status=201)
