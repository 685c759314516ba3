"""Northwind's HTTP and WebSocket APIs: the storefront API authorises every route with the customer
identity provider and logs its stage; the webhook receiver and the live-chat socket take anonymous calls
and log nothing."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

ACCOUNT = "123456789012"


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[0]
    api = client("apigatewayv2", region)
    store = api.create_api(Name="pass-storefront-api", ProtocolType="HTTP")["ApiId"]
    users = api.create_authorizer(ApiId=store, Name="customers", AuthorizerType="JWT",
                                  IdentitySource=["$request.header.Authorization"],
                                  JwtConfiguration={"Audience": ["storefront"],
                                                    "Issuer": "https://id.northwind.example"})["AuthorizerId"]
    for key in ("GET /cart", "POST /checkout"):
        api.create_route(ApiId=store, RouteKey=key, AuthorizationType="JWT", AuthorizerId=users)
    api.create_stage(ApiId=store, StageName="pass-prod", AccessLogSettings={
        "DestinationArn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:storefront-api-access",
        "Format": '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}'})

    hooks = api.create_api(Name="fail-webhooks-api", ProtocolType="HTTP")["ApiId"]
    api.create_route(ApiId=hooks, RouteKey="POST /hooks/payments")
    api.create_stage(ApiId=hooks, StageName="fail-default")

    chat = api.create_api(Name="fail-live-chat", ProtocolType="WEBSOCKET",
                          RouteSelectionExpression="$request.body.action")["ApiId"]
    for key in ("$connect", "sendMessage"):
        api.create_route(ApiId=chat, RouteKey=key)
