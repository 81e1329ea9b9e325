using Kollect.Testing.KubeApiServer;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>
/// The test API server with ServiceAccount authentication and RBAC authorization on, over HTTPS
/// (kubectl sends no bearer token over plain HTTP); the kubeconfig is the admin's.
/// </summary>
public sealed class RbacKubeApiServerFixture : KubeApiServerFixture
{
    protected override KubeApiServerOptions Options => base.Options with { Rbac = true, Https = true };
}
