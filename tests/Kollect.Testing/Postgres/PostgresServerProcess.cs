using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kollect.Testing.Postgres;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c> package) initialised into its own temp dir and
/// listening on a free loopback port, with password (SCRAM) authentication over TCP; optionally with
/// TLS from certificates made by openssl. Can be killed (SIGKILL to the whole process tree: no
/// graceful shutdown) and restarted on the same port and data. initdb and postgres refuse to run as
/// root, so as root (CI) they run as the <c>postgres</c> user through <c>runuser</c>. Always killed and
/// removed in <see cref="Dispose"/>. <see cref="Psql"/> is the independent client that reads results back.
/// </summary>
public sealed class PostgresServerProcess : IDisposable
{
    public const string AdminUser = "kollect_admin";

    private static readonly bool AsRoot = Environment.UserName == "root";
    private readonly StringBuilder _log = new();
    private readonly string _binDirectory;
    private readonly (string Certificate, string Key)? _tls;
    private Process? _process;

    private PostgresServerProcess(string directory, string binDirectory, (string, string)? tls)
    {
        Directory = directory;
        _binDirectory = binDirectory;
        _tls = tls;
        Port = FreePort();
        AdminPassword = "admin-" + Guid.NewGuid().ToString("N");
    }

    public string Directory { get; }

    public int Port { get; }

    public string AdminPassword { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>initdb, then starts the server; <paramref name="tls"/> are PEM files of a server certificate and its key.</summary>
    public static PostgresServerProcess Start((string Certificate, string Key)? tls = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kollect-pg-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var server = new PostgresServerProcess(directory, FindBinDirectory(), tls);
        try
        {
            server.Initialise();
            server.Run();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A libpq key=value connection string to this server.</summary>
    public string Dsn(string user, string password, string database, string extra = "sslmode=disable") =>
        $"host=127.0.0.1 port={Port} dbname={database} user={user} password='{password.Replace("'", "\\'", StringComparison.Ordinal)}' {extra}";

    /// <summary>Creates a login role with a password and a database it owns.</summary>
    public void CreateDatabase(string database, string owner, string password)
    {
        Psql($"CREATE ROLE {owner} LOGIN PASSWORD '{password}'");
        Psql($"CREATE DATABASE {database} OWNER {owner}");
    }

    /// <summary>Runs SQL with psql as the admin (over the Unix socket) and returns its unaligned, tuples-only output.</summary>
    public string Psql(string sql, string database = "postgres")
    {
        var start = new ProcessStartInfo(Path.Combine(_binDirectory, "psql"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-h", Directory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", AdminUser, "-d", database, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-At", "-c", sql])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed ({process.ExitCode}) for: {sql}\n{stderr.Result}");
        }

        return stdout.Result.TrimEnd('\n');
    }

    /// <summary>
    /// Takes an ACCESS EXCLUSIVE lock on <paramref name="table"/> in a psql session that keeps its
    /// transaction open until the returned process is disposed (or the server dies).
    /// </summary>
    public async Task<IDisposable> LockTableAsync(string table, string database)
    {
        var start = new ProcessStartInfo(Path.Combine(_binDirectory, "psql"))
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-h", Directory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", AdminUser, "-d", database, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "SET application_name = 'kollect-test-locker'", "-f", "-"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.StandardInput.WriteLineAsync($"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; SELECT 'locked';");
        await process.StandardInput.FlushAsync();
        try
        {
            await Eventually.UntilAsync(
                () => process.HasExited
                    || Psql($"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '{table}' AND l.mode = 'AccessExclusiveLock' AND l.granted", database) == "1",
                $"psql to get the lock on {table}",
                TimeSpan.FromSeconds(60));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.HasExited)
        {
            throw new InvalidOperationException($"psql exited before it got the lock on {table}");
        }

        return new HeldLock(process);
    }

    /// <summary>Kills the server and every backend (SIGKILL) and waits until they are gone.</summary>
    public void Kill()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        var postmaster = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) ? pid : (int?)null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
        if (postmaster is { } id)
        {
            WaitUntilGone(id, [pidFile, Path.Combine(Directory, $".s.PGSQL.{Port}.lock")]);
        }
    }

    // The postmaster runs under runuser, so it is reaped only after runuser is gone; until then a
    // restart would find it alive and refuse to start. A dead but unreaped process owns neither the
    // data directory nor the socket, so their lock files may go.
    private static void WaitUntilGone(int pid, string[] lockFiles)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists($"/proc/{pid}/stat") && DateTime.UtcNow < deadline)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                foreach (var lockFile in lockFiles)
                {
                    File.Delete(lockFile);
                }

                return;
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Starts the server again on the same port and data directory (crash recovery runs).</summary>
    public void Restart()
    {
        Kill();
        Run();
    }

    public void Dispose()
    {
        Kill();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Initialise()
    {
        var passwordFile = Path.Combine(Directory, "pwfile");
        File.WriteAllText(passwordFile, AdminPassword + "\n");
        if (_tls is { } tls)
        {
            File.Copy(tls.Certificate, Path.Combine(Directory, "server.crt"));
            File.Copy(tls.Key, Path.Combine(Directory, "server.key"));
        }

        if (AsRoot)
        {
            Exec("chown", "-R", "postgres:postgres", Directory);
        }

        Exec(Command("initdb"), "-D", DataDirectory, "-U", AdminUser, "--pwfile", passwordFile, "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync");
        if (_tls is not null)
        {
            // postgres refuses a key file that others may read.
            Exec("chmod", "600", Path.Combine(Directory, "server.key"));
        }
    }

    private string DataDirectory => Path.Combine(Directory, "data");

    private void Run()
    {
        var arguments = new List<string>
        {
            "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", Directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=50",
        };
        if (_tls is not null)
        {
            arguments.AddRange(["-c", "ssl=on", "-c", $"ssl_cert_file={Path.Combine(Directory, "server.crt")}", "-c", $"ssl_key_file={Path.Combine(Directory, "server.key")}"]);
        }

        var (file, prefix) = Command("postgres");
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var ready = new ManualResetEventSlim();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            if (e.Data.Contains("ready to accept connections", StringComparison.Ordinal))
            {
                ready.Set();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        _process = process;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(60)))
        {
            Kill();
            throw new InvalidOperationException($"postgres did not become ready on port {Port}:\n{Log}");
        }
    }

    private sealed class HeldLock(Process psql) : IDisposable
    {
        public void Dispose()
        {
            if (!psql.HasExited)
            {
                psql.Kill(entireProcessTree: true);
            }

            psql.WaitForExit();
            psql.Dispose();
        }
    }

    // As root, run the server's programs as the postgres user (they refuse to run as root).
    private (string File, string[] Prefix) Command(string program) => AsRoot
        ? ("runuser", ["-u", "postgres", "--", Path.Combine(_binDirectory, program)])
        : (Path.Combine(_binDirectory, program), []);

    private static void Exec((string File, string[] Prefix) command, params string[] arguments) => Exec(command.File, [.. command.Prefix, .. arguments]);

    private static void Exec(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stderr.Result}{stdout.Result}");
        }
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> (Debian's layout), or <c>KOLLECT_POSTGRES_BIN</c>.</summary>
    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("KOLLECT_POSTGRES_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var found = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Directory, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Directory)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL server programs not found under /usr/lib/postgresql/*/bin; install Debian's postgresql package (scripts/bootstrap.sh does) or set KOLLECT_POSTGRES_BIN");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
