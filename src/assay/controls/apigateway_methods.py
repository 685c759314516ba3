"""API Gateway controls over the methods of REST APIs: callers are authorised, and requests are checked
against a declared model before they reach the backend."""

from __future__ import annotations

from assay.controls.messages import names
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.apigateway import ApiGatewayRestApi, RestMethod

GET = ["apigateway:GET"]
BODY_METHODS = ("POST", "PUT", "PATCH", "ANY")


@control(
    id="apigateway.rest_api_methods_authorized",
    title="Methods of public REST APIs require an authorizer or IAM authorization",
    severity="medium",
    needs=GET,
    rationale="A method with authorization NONE runs its backend for any caller on the internet; an API key "
    "identifies a client for throttling and billing, not a user. IAM, Cognito or a Lambda authorizer make "
    "every call prove who it comes from before it reaches the system (CC6.1, CC6.6). CORS preflight (OPTIONS) "
    "methods are exempt, and methods meant to be public go in public_methods, e.g. \"GET /health\". Private "
    "APIs, reachable only through VPC endpoints their resource policy names, are not applicable.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Resources > the method > Method request > Edit > "
        "Authorization: AWS IAM, a Cognito user pool authorizer or a Lambda authorizer > Save; then Deploy API "
        "to each stage.",
        cli="aws apigateway update-method --rest-api-id <api-id> --resource-id <resource-id> --http-method POST "
        "--patch-operations op=replace,path=/authorizationType,value=AWS_IAM\n"
        "aws apigateway create-deployment --rest-api-id <api-id> --stage-name prod",
        terraform='resource "aws_api_gateway_method" "create_order" {\n'
        "  rest_api_id   = aws_api_gateway_rest_api.orders.id\n"
        "  resource_id   = aws_api_gateway_resource.orders.id\n  http_method   = \"POST\"\n"
        '  authorization = "COGNITO_USER_POOLS"\n  authorizer_id = aws_api_gateway_authorizer.users.id\n}',
    ),
)
def rest_api_methods_authorized(api: ApiGatewayRestApi, *, public_methods: list[str] = []) -> Outcome:  # noqa: B006
    """public_methods: "VERB /path" of methods deliberately open to anonymous callers."""
    if api.private:
        return Skip("private API: reachable only through the VPC endpoints its resource policy allows")
    if api.methods is None:
        return Error("the API's methods could not be read")
    judged = [m for m in api.methods if m.http_method != "OPTIONS"]
    if not judged:
        return Skip("the API has no methods")
    allowed = {p.upper() for p in public_methods}
    open_ = [m.label for m in judged if m.authorization_type == "NONE" and m.label.upper() not in allowed]
    if open_:
        return Fail(f"{len(open_)} of {len(judged)} method(s) accept anonymous calls: " + names(open_, sep=", "))
    return Pass(f"all {len(judged)} method(s) require authorization"
                + (f" ({len(allowed & {m.label.upper() for m in judged})} listed as public)" if allowed else ""))


def _unchecked(m: RestMethod, api: ApiGatewayRestApi) -> str | None:
    """Why a method that takes input is not validated against its declaration, or None when it is."""
    takes_body = m.http_method in BODY_METHODS
    if takes_body and not m.request_models:
        return "no request model"
    validator = (api.validators or {}).get(m.request_validator_id or "")
    if validator is None:
        return "no request validator"
    if takes_body and not validator.body:
        return f"validator {validator.name or m.request_validator_id} does not check the body"
    if m.required_parameters and not validator.parameters:
        return f"validator {validator.name or m.request_validator_id} does not check required parameters"
    return None


@control(
    id="apigateway.rest_api_requests_validated",
    title="REST API methods that take input declare a request model and validate requests against it",
    severity="low",
    needs=GET,
    rationale="A request model is the written definition of the data a method accepts, kept with the API and "
    "exportable to its users; a request validator makes API Gateway reject any request whose body or "
    "required parameters do not match it, before the backend processes anything. Together they are the "
    "specification of an input (PI1.1) and the check that inputs are complete and well-formed (PI1.2). "
    "Methods that take a body (POST, PUT, PATCH, ANY) need a model and a body validator; methods with "
    "required parameters need a parameter validator.",
    remediation=Remediation(
        console="API Gateway console > APIs > the API > Models > Create model (JSON Schema of the body); then "
        "Resources > the method > Method request > Edit > Request validator: Validate body, query string "
        "parameters, and headers; Request body: add the model for application/json > Save; Deploy API.",
        cli="aws apigateway create-model --rest-api-id <api-id> --name Order --content-type application/json "
        "--schema file://order.schema.json\n"
        "aws apigateway create-request-validator --rest-api-id <api-id> --name body-and-params "
        "--validate-request-body --validate-request-parameters\n"
        "aws apigateway update-method --rest-api-id <api-id> --resource-id <resource-id> --http-method POST "
        "--patch-operations op=replace,path=/requestValidatorId,value=<validator-id> "
        "op=add,path=/requestModels/application~1json,value=Order",
        terraform='resource "aws_api_gateway_request_validator" "all" {\n'
        "  rest_api_id                 = aws_api_gateway_rest_api.orders.id\n  name                        = "
        '"body-and-params"\n  validate_request_body       = true\n  validate_request_parameters = true\n}\n'
        'resource "aws_api_gateway_method" "create_order" {\n'
        "  request_validator_id = aws_api_gateway_request_validator.all.id\n"
        '  request_models       = { "application/json" = aws_api_gateway_model.order.name }\n}',
    ),
)
def rest_api_requests_validated(api: ApiGatewayRestApi) -> Outcome:
    if api.methods is None or api.validators is None:
        return Error("the API's methods or request validators could not be read")
    inputs = [m for m in api.methods if m.http_method in BODY_METHODS or m.required_parameters]
    if not inputs:
        return Skip("no method takes a request body or required parameters")
    gaps = [f"{m.label}: {why}" for m in inputs if (why := _unchecked(m, api)) is not None]
    if gaps:
        return Fail(f"{len(gaps)} of {len(inputs)} method(s) taking input are not validated: " + names(gaps))
    return Pass(f"all {len(inputs)} method(s) taking input validate requests against their declaration")
