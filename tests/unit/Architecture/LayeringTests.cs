namespace Kollect.Tests.Unit.Architecture;

/// <summary>
/// The one-way layering of <c>src/Operator</c> (CONVENTIONS, "Shape of the repository"), held over
/// the compiled assembly's type references (<see cref="TypeReferenceGraph"/>), not over source
/// text, so a fully qualified name or a <c>global using</c> cannot slip past it. Three rules:
/// a component uses only components of lower layers (never a higher one, never a sibling of its
/// own layer); a parent folder and its sub-folder (<c>Sinks</c> and <c>Sinks.Kafka</c>) may depend
/// on each other in one direction only (so do two sub-folders of one parent); the pure components
/// do no I/O. A break fails with the offending types named; there are no exceptions.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>
    /// Layer of each component (a folder of <c>src/Operator</c>, i.e. a namespace under
    /// <c>Kollect.Operator</c>); higher uses lower. <c>Program</c> is the top-level statements.
    /// </summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Program"] = 70,
        ["Cli"] = 60,              // commands; `run` starts the host
        ["Hosting"] = 50,          // the generic host of `kollect run`
        ["Controllers"] = 40,      // reconcilers and their wiring
        ["Pipeline"] = 30,         // the exporter shared by the operator and `kollect export`
        ["Validation"] = 25,       // semantic rules shared by `kollect validate` and the operator
        ["Validation.Rules"] = 25,
        ["Sinks"] = 20,            // resolvers and gateways: build the kind-specific sinks below
        ["Sinks.Common"] = 20,     // what every sink kind shares: field paths, outcomes, the endpoint guard
        ["Sinks.Kafka"] = 20,
        ["Sinks.Nats"] = 20,
        ["Sinks.Postgres"] = 20,
        ["Collect"] = 20,
        ["Runtime"] = 20,          // informers, work queue, controllers, leader election
        ["Export"] = 10,           // Go-canonical bytes: pure
        ["Kube"] = 10,
        ["Manifests"] = 10,
        ["Observability"] = 10,
        ["Json"] = 10,
    };

    /// <summary>Components that compute and must not reach the network, the file system or a process.</summary>
    private static readonly string[] Pure = ["Export", "Collect", "Validation", "Validation.Rules"];

    /// <summary>Namespaces and types whose use is I/O.</summary>
    private static readonly string[] InputOutput =
    [
        "System.Net.Sockets.", "System.Net.Http.", "System.Net.Security.", "System.Net.Dns",
        "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo",
        "System.IO.DirectoryInfo", "System.Diagnostics.Process", "System.Console",
        "Npgsql.", "Confluent.", "NATS.", "k8s.",
    ];

    [Fact]
    public void Every_component_has_a_layer()
    {
        var unknown = Edges().Keys.SelectMany(e => new[] { e.From, e.To })
            .Where(c => !Layers.ContainsKey(c)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0,
            $"src/Operator has folders without a layer in {nameof(LayeringTests)}.{nameof(Layers)}: {string.Join(", ", unknown)}; " +
            "give each one (CONVENTIONS: Program -> Cli | Controllers -> Pipeline -> Sinks | Collect | Runtime -> Api | Export | Kube).");
    }

    [Fact]
    public void Dependencies_run_one_way()
    {
        var edges = Edges();
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var ((from, to), examples) in edges)
        {
            if (!Layers.TryGetValue(from, out var fromLayer) || !Layers.TryGetValue(to, out var toLayer))
            {
                continue;
            }

            if (Family(from) == Family(to))
            {
                if (edges.ContainsKey((to, from)))
                {
                    var (a, b) = string.CompareOrdinal(from, to) < 0 ? (from, to) : (to, from);
                    found[$"{a} <-> {b}"] = $"{Example(edges[(a, b)])}; and back: {Example(edges[(b, a)])}";
                }
            }
            else if (toLayer >= fromLayer)
            {
                var why = toLayer == fromLayer ? "a sibling of the same layer" : "a higher layer";
                found[$"{from} -> {to}"] = $"{why}: {Example(examples)}";
            }
        }

        var breaks = found.Select(f => $"{f.Key}: {f.Value}").ToList();
        Assert.True(breaks.Count == 0,
            "dependencies against the layering (CONVENTIONS), each with a type that makes it:\n  " + string.Join("\n  ", breaks));
    }

    [Fact]
    public void Pure_components_do_no_io()
    {
        var offenders = new List<string>();
        foreach (var (type, uses) in Graph.Value.Uses)
        {
            if (Component(type) is not { } component || !Pure.Contains(component))
            {
                continue;
            }

            foreach (var used in uses.Where(u => !u.Internal))
            {
                if (InputOutput.Any(p => used.FullName.StartsWith(p, StringComparison.Ordinal)))
                {
                    offenders.Add($"{type} uses {used.FullName}");
                }
            }
        }

        Assert.True(offenders.Count == 0,
            $"the pure components ({string.Join(", ", Pure)}) must do no I/O:\n  " + string.Join("\n  ", offenders.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void The_reader_sees_references_in_signatures_and_method_bodies()
    {
        // Guards the graph itself: a reader that misses IL or signatures would pass every rule.
        var uses = Graph.Value.Uses;
        Assert.Contains(uses["Program"], u => u.FullName == "Kollect.Operator.Cli.KollectCommandLine");
        Assert.Contains(uses["Kollect.Operator.Pipeline.InventoryExporter"], u => u.FullName.StartsWith("Kollect.Operator.Export.", StringComparison.Ordinal));
        Assert.True(Edges().Count > 40, "the component graph looks empty");
    }

    private static readonly Lazy<TypeReferenceGraph> Graph =
        new(() => TypeReferenceGraph.Read(typeof(Kollect.Operator.Cli.KollectCommandLine).Assembly.Location));

    private static Dictionary<(string From, string To), SortedSet<string>> Edges()
    {
        var edges = new Dictionary<(string, string), SortedSet<string>>();
        foreach (var (type, uses) in Graph.Value.Uses)
        {
            if (Component(type) is not { } from)
            {
                continue;
            }

            foreach (var used in uses.Where(u => u.Internal))
            {
                if (Component(used.FullName) is not { } to || to == from)
                {
                    continue;
                }

                if (!edges.TryGetValue((from, to), out var set))
                {
                    edges[(from, to)] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                set.Add($"{type} uses {used.FullName}");
            }
        }

        return edges;
    }

    private static string Example(SortedSet<string> examples) =>
        examples.Count == 1 ? examples.First() : $"{examples.First()} (and {examples.Count - 1} more)";

    /// <summary>The folder of a type defined in the operator, or null for compiler-generated helpers.</summary>
    private static string? Component(string fullName)
    {
        const string prefix = "Kollect.Operator.";
        if (fullName.StartsWith('<'))
        {
            return null;
        }

        if (!fullName.Contains('.'))
        {
            return "Program";
        }

        return fullName.StartsWith(prefix, StringComparison.Ordinal)
            ? fullName[prefix.Length..fullName.LastIndexOf('.')]
            : null;
    }

    private static string Family(string component) =>
        component.IndexOf('.') is var dot and > 0 ? component[..dot] : component;
}
