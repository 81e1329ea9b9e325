using System.Text.Json;

namespace Kollect.Tests.Unit.Collect;

/// <summary>A Deployment-like object for extraction tests.</summary>
internal static class Objects
{
    public const string DeploymentJson = """
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "name": "api",
            "namespace": "team-a",
            "uid": "uid-abc",
            "labels": { "app.kubernetes.io/name": "api", "tier": "web" },
            "annotations": { "kollect.dev/owner": "team-a" }
          },
          "spec": {
            "replicas": 3,
            "ratio": 0.5,
            "paused": false,
            "template": {
              "spec": {
                "containers": [
                  { "name": "app", "image": "repo/app:1.0", "ports": [ { "containerPort": 8080 } ],
                    "env": [
                      { "name": "MODE", "value": "prod" },
                      { "name": "DB_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "db", "key": "password" } } }
                    ] },
                  { "name": "sidecar", "image": "repo/sidecar:2.1" }
                ]
              }
            }
          },
          "status": { "readyReplicas": 3, "conditions": [ { "type": "Available", "status": "True" }, { "type": "Progressing", "status": "False" } ] }
        }
        """;

    public static JsonElement Deployment()
    {
        using var document = JsonDocument.Parse(DeploymentJson);
        return document.RootElement.Clone();
    }
}
