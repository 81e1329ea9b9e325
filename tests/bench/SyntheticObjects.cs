using System.Text;

namespace Kollect.Bench;

/// <summary>
/// Realistic-looking ConfigMap and Deployment objects as the API server would return them
/// (metadata with labels, annotations and managedFields-free bodies), alternating kinds.
/// </summary>
internal static class SyntheticObjects
{
    public static byte[] Create(int index)
    {
        var ns = $"team-{index % 40:D2}";
        var name = index % 2 == 0 ? $"app-config-{index:D6}" : $"web-frontend-{index:D6}";
        var uid = new Guid(index, (short)(index >> 16), 7, 1, 2, 3, 4, 5, 6, 7, 8).ToString();
        return Encoding.UTF8.GetBytes(index % 2 == 0 ? ConfigMap(ns, name, uid, index) : Deployment(ns, name, uid, index));
    }

    private static string ConfigMap(string ns, string name, string uid, int index) => $$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"{{{uid}}}",
         "resourceVersion":"{{{100000 + index}}}","creationTimestamp":"2026-01-02T03:04:05Z",
         "labels":{"app.kubernetes.io/name":"app-{{{index % 97}}}","app.kubernetes.io/part-of":"shop","tier":"backend"},
         "annotations":{"kollect.dev/owner":"team-{{{index % 40}}}","description":"settings for the app, revision {{{index % 13}}}"}},
         "data":{"LOG_LEVEL":"info","FEATURE_FLAGS":"a,b,c","DB_PASSWORD":"s3cr3t-{{{index}}}","endpoint":"https://svc-{{{index % 97}}}.example.internal:8443/api"}}
        """;

    private static string Deployment(string ns, string name, string uid, int index) => $$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"{{{uid}}}",
         "resourceVersion":"{{{100000 + index}}}","generation":{{{1 + index % 5}}},"creationTimestamp":"2026-01-02T03:04:05Z",
         "labels":{"app.kubernetes.io/name":"web-{{{index % 97}}}","app.kubernetes.io/part-of":"shop","tier":"frontend"}},
         "spec":{"replicas":{{{1 + index % 4}}},"selector":{"matchLabels":{"app":"web-{{{index % 97}}}"}},
          "template":{"metadata":{"labels":{"app":"web-{{{index % 97}}}"}},
           "spec":{"containers":[{"name":"web","image":"registry.example.com/shop/web:1.{{{index % 30}}}.0",
             "ports":[{"containerPort":8080,"protocol":"TCP"}],"resources":{"limits":{"cpu":"500m","memory":"256Mi"} }},
            {"name":"sidecar","image":"registry.example.com/infra/proxy:2.4.1"}]} } },
         "status":{"replicas":{{{1 + index % 4}}},"readyReplicas":{{{index % 5}}},"availableReplicas":{{{index % 5}}} }}
        """;
}
