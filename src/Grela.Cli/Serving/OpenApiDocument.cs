namespace Grela.Cli.Serving;

/// <summary>
/// The OpenAPI 3.0 description served at /openapi/v1.json. Written by hand: the API is small and
/// its handlers read raw JSON (to word every refusal), which a generator could not describe.
/// A test checks that every route the server maps appears here.
/// </summary>
internal static class OpenApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static string Json(string version) => Template.Replace("{{version}}", version, StringComparison.Ordinal);

    private const string Template = """
{
  "openapi": "3.0.3",
  "info": { "title": "grela serve", "version": "{{version}}", "description": "Next-item recommendations from a trained grela run, with per-user state kept in an embedded database. Errors are RFC 7807 problem documents." },
  "paths": {
    "/v1/users/{user}/events": {
      "post": {
        "summary": "Append events to a user's history and answer the top-K next items after them",
        "parameters": [ { "$ref": "#/components/parameters/user" }, { "$ref": "#/components/parameters/k" } ],
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Events" } } } },
        "responses": {
          "200": { "description": "the events are durable; top-K after them", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserRecommendations" } } } },
          "400": { "$ref": "#/components/responses/Problem" }, "413": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/users/{user}/recommendations": {
      "get": {
        "summary": "Top-K next items from the user's stored state",
        "parameters": [ { "$ref": "#/components/parameters/user" }, { "$ref": "#/components/parameters/k" } ],
        "responses": {
          "200": { "description": "top-K", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserRecommendations" } } } },
          "400": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/users/{user}/history": {
      "get": {
        "summary": "The user's stored history, oldest first",
        "parameters": [ { "$ref": "#/components/parameters/user" } ],
        "responses": {
          "200": { "description": "the history", "content": { "application/json": { "schema": { "type": "object", "properties": { "user": { "type": "string" }, "items": { "$ref": "#/components/schemas/Items" } } } } } },
          "404": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/users/{user}": {
      "delete": {
        "summary": "Forget a user and their history",
        "parameters": [ { "$ref": "#/components/parameters/user" } ],
        "responses": { "204": { "description": "deleted" }, "404": { "$ref": "#/components/responses/Problem" } }
      }
    },
    "/v1/recommend": {
      "post": {
        "summary": "Stateless: top-K next items for a history given in the body; nothing is stored",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Recommend" } } } },
        "responses": {
          "200": { "description": "top-K", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Recommendations" } } } },
          "400": { "$ref": "#/components/responses/Problem" }, "413": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/model": {
      "get": {
        "summary": "The served model",
        "responses": { "200": { "description": "model, dataset, item count, attention mode", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Model" } } } } }
      }
    },
    "/healthz": { "get": { "summary": "Liveness", "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "type": "object", "properties": { "status": { "type": "string" } } } } } } } } },
    "/metrics": { "get": { "summary": "Request counts and latency histograms per route (Prometheus text format)", "responses": { "200": { "description": "metrics", "content": { "text/plain": { "schema": { "type": "string" } } } } } } }
  },
  "components": {
    "parameters": {
      "user": { "name": "user", "in": "path", "required": true, "schema": { "type": "string", "minLength": 1, "maxLength": 256 } },
      "k": { "name": "k", "in": "query", "required": false, "description": "how many items (default: the server's --top); 1..min(1000, item count)", "schema": { "type": "integer", "minimum": 1, "maximum": 1000 } }
    },
    "responses": {
      "Problem": { "description": "RFC 7807 problem document", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
    },
    "schemas": {
      "Items": { "type": "array", "items": { "oneOf": [ { "type": "string" }, { "type": "integer" } ] }, "description": "item ids as in the run's dataset (integers for a run imported without a dataset)" },
      "Events": { "type": "object", "required": [ "items" ], "properties": { "items": { "$ref": "#/components/schemas/Items" } } },
      "Recommend": { "type": "object", "required": [ "history" ], "properties": { "history": { "$ref": "#/components/schemas/Items" }, "k": { "type": "integer", "minimum": 1, "maximum": 1000 } } },
      "Recommendations": { "type": "object", "properties": { "items": { "$ref": "#/components/schemas/Items" }, "scores": { "type": "array", "items": { "type": "number", "nullable": true } } } },
      "UserRecommendations": { "allOf": [ { "$ref": "#/components/schemas/Recommendations" }, { "type": "object", "properties": { "user": { "type": "string" } } } ] },
      "Model": { "type": "object", "properties": { "model": { "type": "string" }, "dataset": { "type": "string" }, "items": { "type": "integer" }, "attention": { "type": "string" }, "max_len": { "type": "integer" }, "state": { "type": "string", "enum": [ "streaming", "window" ] }, "fingerprint": { "type": "string" }, "users": { "type": "integer" } } },
      "Problem": { "type": "object", "properties": { "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" } } }
    }
  }
}
""";
}
