using System.Diagnostics;

namespace Kollect.Tests.Integration.Nats;

/// <summary>
/// A CA, a server certificate for 127.0.0.1 signed by it, one that names only <c>localhost</c>
/// (<c>server-dns</c>, for host-name checks), a client certificate signed by it and an unrelated CA,
/// made with the <c>openssl</c> command line in a temp dir.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kollect-certs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        MakeCa("ca");
        MakeCa("other-ca");
        MakeSigned("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        MakeSigned("server-dns", "ca", "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        MakeSigned("client", "ca", "extendedKeyUsage=clientAuth\n");
    }

    public string Directory { get; }

    public string Path_(string name) => Path.Combine(Directory, name);

    public string Pem(string name) => File.ReadAllText(Path_(name));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private void MakeCa(string name) =>
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", $"{name}.key", "-out", $"{name}.crt", "-days", "2", "-subj", $"/CN=kollect-test-{name}");

    private void MakeSigned(string name, string ca, string extensions)
    {
        File.WriteAllText(Path_($"{name}.ext"), extensions);
        OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", $"{name}.key", "-out", $"{name}.csr", "-subj", $"/CN=kollect-test-{name}");
        OpenSsl("x509", "-req", "-in", $"{name}.csr", "-CA", $"{ca}.crt", "-CAkey", $"{ca}.key", "-CAcreateserial",
            "-out", $"{name}.crt", "-days", "2", "-extfile", $"{name}.ext");
    }

    private void OpenSsl(params string[] arguments)
    {
        ProcessStartInfo start = new("openssl")
        {
            WorkingDirectory = Directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {stderr.Result}{stdout.Result}");
        }
    }
}
