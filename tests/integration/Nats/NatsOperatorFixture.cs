using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace Kollect.Tests.Integration.Nats;

/// <summary>
/// A NATS operator → account → user chain made fresh for each test with NATS.Net's NKeys: the
/// JWTs are signed as nats-server checks them (header <c>ed25519-nkey</c>, Ed25519 over
/// <c>header.claims</c>, base64url without padding), so no <c>nsc</c> and no committed keys are needed.
/// </summary>
internal sealed class NatsOperatorFixture
{
    private NatsOperatorFixture(string operatorJwt, string systemPublicKey, string systemJwt, string accountPublicKey, string accountJwt, string userCreds)
    {
        SystemPublicKey = systemPublicKey;
        SystemJwt = systemJwt;
        OperatorJwt = operatorJwt;
        AccountPublicKey = accountPublicKey;
        AccountJwt = accountJwt;
        UserCreds = userCreds;
    }

    public string OperatorJwt { get; }

    /// <summary>The system account JetStream needs in operator mode.</summary>
    public string SystemPublicKey { get; }

    public string SystemJwt { get; }

    public string AccountPublicKey { get; }

    public string AccountJwt { get; }

    /// <summary>A credentials file of a user of the trusted account.</summary>
    public string UserCreds { get; }

    public static NatsOperatorFixture Create()
    {
        using KeyPair op = KeyPair.CreatePair(PrefixByte.Operator);
        using KeyPair account = KeyPair.CreatePair(PrefixByte.Account);
        using KeyPair system = KeyPair.CreatePair(PrefixByte.Account);
        string operatorJwt = Sign(op, op.GetPublicKey(), "test-operator", new JsonObject { ["type"] = "operator", ["version"] = 2 });
        string accountJwt = Sign(op, account.GetPublicKey(), "kollect-account", new JsonObject
        {
            ["limits"] = new JsonObject
            {
                ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true,
                ["conn"] = -1, ["leaf"] = -1, ["mem_storage"] = -1, ["disk_storage"] = -1, ["streams"] = -1, ["consumer"] = -1,
            },
            ["default_permissions"] = new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject() },
            ["type"] = "account",
            ["version"] = 2,
        });
        string systemJwt = Sign(op, system.GetPublicKey(), "SYS", new JsonObject
        {
            ["limits"] = new JsonObject { ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true, ["conn"] = -1, ["leaf"] = -1 },
            ["type"] = "account",
            ["version"] = 2,
        });
        return new NatsOperatorFixture(operatorJwt, system.GetPublicKey(), systemJwt, account.GetPublicKey(), accountJwt, UserCredsSignedBy(account));
    }

    /// <summary>A credentials file of a user issued by an account the server does not know.</summary>
    public static string UntrustedUserCreds()
    {
        using KeyPair stranger = KeyPair.CreatePair(PrefixByte.Account);
        return UserCredsSignedBy(stranger);
    }

    /// <summary>Writes the operator JWT and a server config (memory resolver preloaded with the account) into <paramref name="directory"/>.</summary>
    public string WriteServerConfig(string directory)
    {
        string operatorFile = Path.Combine(directory, "operator.jwt");
        File.WriteAllText(operatorFile, OperatorJwt);
        return NatsAuthAndTlsTests.Config(
            directory,
            $"operator: \"{operatorFile}\"\nsystem_account: {SystemPublicKey}\nresolver: MEMORY\nresolver_preload: {{\n  {SystemPublicKey}: \"{SystemJwt}\"\n  {AccountPublicKey}: \"{AccountJwt}\"\n}}");
    }

    private static string UserCredsSignedBy(KeyPair account)
    {
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        string jwt = Sign(account, user.GetPublicKey(), "kollect", new JsonObject
        {
            ["pub"] = new JsonObject(),
            ["sub"] = new JsonObject(),
            ["subs"] = -1,
            ["data"] = -1,
            ["payload"] = -1,
            ["type"] = "user",
            ["version"] = 2,
        });
        return $"-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n" +
            "************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n" +
            $"-----BEGIN USER NKEY SEED-----\n{user.GetSeed()}\n------END USER NKEY SEED------\n";
    }

    private static string Sign(KeyPair issuer, string subject, string name, JsonObject nats)
    {
        JsonObject claims = new()
        {
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = name,
            ["sub"] = subject,
            ["nats"] = nats,
        };
        string header = Base64Url("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}"u8.ToArray());
        string body = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(header + "." + body), signature);
        return header + "." + body + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
