"""JSON Schemas (OpenAPI 3.1 dialect) of the API's bodies, which `openapi_paths.py` refers to;
each area's are in a module of their own (`openapi_schemas_*.py`), written with the building
blocks of `json_schema.py`.

They say what the handlers really send, nullable fields included, because the schemathesis
test holds every response to them: a schema looser than the code hides a change, a stricter
one fails the test.
"""

from __future__ import annotations

from callserver.web.json_schema import Schema
from callserver.web.openapi_schemas_calls import CALL_SCHEMAS
from callserver.web.openapi_schemas_numbers import NUMBER_SCHEMAS
from callserver.web.openapi_schemas_ops import OPS_SCHEMAS
from callserver.web.openapi_schemas_swap import SWAP_SCHEMAS

SCHEMAS: dict[str, Schema] = {**OPS_SCHEMAS, **SWAP_SCHEMAS, **NUMBER_SCHEMAS, **CALL_SCHEMAS}
