"""The OpenAPI schema tells every refusal a route can give, as found by walking its
dependencies: 401 where a service or staff token is required, 403 where a role is, 400 where a
body is read (one that cannot be parsed); the error body is documented once (`Refusal`), and
422 answers are either FastAPI's list of problems or one domain refusal (a string)."""

from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from api.auth import require_service
from api.staff.auth import current_staff

REFUSAL = {"$ref": "#/components/schemas/Refusal"}
REFUSAL_SCHEMA = {
    "title": "Refusal",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "code": {"type": "string", "title": "Code"},
    },
    "required": ["detail"],
}


def _calls(dependant: Dependant) -> set[Any]:
    found = set()
    for dependency in dependant.dependencies:
        found.add(dependency.call)
        found |= _calls(dependency)
    return found


def _refusals(route: RouteContext) -> dict[int, str]:
    calls = _calls(route.dependant)
    refusals = {}
    if require_service in calls:
        refusals[401] = "the service token is missing or wrong"
    if current_staff in calls:
        refusals[401] = "a valid staff token is required"
    if any(getattr(call, "__name__", "") == "staff_with_role" for call in calls):
        refusals[403] = "the staff member's role cannot do this"
    if route.body_field is not None:
        refusals[400] = "the body could not be read"
    return refusals


def document_refusals(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Refusal"] = REFUSAL_SCHEMA
        validation = components.get("HTTPValidationError")
        if validation is not None:
            problems = validation["properties"]["detail"]
            validation["properties"]["detail"] = {"anyOf": [problems, {"type": "string"}]}
            validation["properties"]["code"] = {"type": "string", "title": "Code"}
        for route in iter_route_contexts(app.routes):
            if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
                continue
            for method in route.methods or ():
                operation = schema["paths"][route.path_format][method.lower()]
                responses = operation.setdefault("responses", {})
                for code, description in _refusals(route).items():
                    responses.setdefault(str(code), {"description": description})
                for code, answer in responses.items():
                    if code[0] == "4" and code != "422" and "content" not in answer:
                        answer["content"] = {"application/json": {"schema": REFUSAL}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI documents replacing it
