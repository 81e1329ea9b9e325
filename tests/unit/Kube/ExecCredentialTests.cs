using Kollect.Operator.Kube;

namespace Kollect.Tests.Unit.Kube;

public sealed class ExecCredentialTests
{
    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public void Token_and_expiry_are_read(string apiVersion)
    {
        var credential = ExecCredential.Parse($$$"""{"apiVersion":"{{{apiVersion}}}","kind":"ExecCredential","status":{"token":"t0k","expirationTimestamp":"2030-01-02T03:04:05Z"}}""", "plugin");
        Assert.Equal("t0k", credential.Token);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), credential.ExpirationTimestamp);
    }

    [Fact]
    public void Client_certificate_credential_is_accepted_without_token()
    {
        var credential = ExecCredential.Parse("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"C","clientKeyData":"K"}}""", "plugin");
        Assert.Null(credential.Token);
        Assert.Equal("C", credential.ClientCertificateData);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"Other","status":{"token":"x"}}""")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1alpha1","kind":"ExecCredential","status":{"token":"x"}}""")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}""")]
    public void Bad_output_names_the_plugin(string output)
    {
        var error = Assert.Throws<KubeConfigException>(() => ExecCredential.Parse(output, "my-plugin"));
        Assert.Contains("my-plugin", error.Message, StringComparison.Ordinal);
    }
}
