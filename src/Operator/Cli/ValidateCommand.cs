using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Operator.Cli;

/// <summary>
/// <c>kollect validate -f FILE|DIR</c> (SPEC §8): reads manifests, and for every kollect.dev object
/// applies the CRD defaults, the generated schema validation and the semantic rules the operator
/// uses, printing each problem with its field path. Exit codes: 0 valid (warnings allowed),
/// 1 errors, 2 unreadable input or bad usage.
/// </summary>
internal static class ValidateCommand
{
    public const int ExitValid = 0;
    public const int ExitInvalid = 1;
    public const int ExitUnreadable = 2;

    public static Command Create()
    {
        var filenames = new Option<string[]>("--filename", "-f")
        {
            Description = "A manifest file (YAML with one or more documents, or JSON), a directory searched recursively for *.yaml, *.yml and *.json, or - for standard input. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxExportBytes = new Option<long>("--max-export-bytes")
        {
            Description = "The operator's export size cap in bytes; maxExportBytes on inventories and sink refs may not exceed it. Use the value the operator runs with.",
            DefaultValueFactory = _ => SemanticValidationOptions.DefaultMaxExportBytes,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: text (one line per problem and a summary) or json (machine-readable).",
            DefaultValueFactory = _ => "text",
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Also list valid documents and the documents that were skipped because they are not kollect.dev kinds (Secrets, ConfigMaps, ...).",
        };

        var safety = new SinkSafetyOptions();

        var command = new Command("validate", "Validate Kollect manifests: CRD schema (generated) and semantic rules, each problem with its field path. Exit 0 when valid (warnings allowed), 1 on errors, 2 when input cannot be read.")
        {
            filenames,
            maxExportBytes,
            output,
            verbose,
            safety.AllowPrivate,
            safety.AllowLoopback,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(filenames) ?? [],
            parseResult.GetValue(maxExportBytes),
            parseResult.GetValue(output) ?? "text",
            parseResult.GetValue(verbose),
            safety.Policy(parseResult),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, long maxExportBytes, string format, bool verbose, EndpointPolicy endpointPolicy, TextWriter stdout, TextWriter stderr)
    {
        if (paths.Count == 0)
        {
            stderr.WriteLine("error: no input; pass -f FILE|DIR (repeatable), or -f - for standard input");
            return ExitUnreadable;
        }

        if (format is not ("text" or "json"))
        {
            stderr.WriteLine($"error: --output must be text or json, not {format}");
            return ExitUnreadable;
        }

        if (maxExportBytes <= 0)
        {
            stderr.WriteLine("error: --max-export-bytes must be greater than 0");
            return ExitUnreadable;
        }

        var read = ManifestReader.Read(paths);
        var options = new SemanticValidationOptions { MaxExportBytes = maxExportBytes };
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(endpointPolicy), options));
        var results = read.Documents.Select(validator.Validate).ToList();
        var errorCount = read.Errors.Count + results.Sum(r => r.Errors.Count());
        var warningCount = results.Sum(r => r.Warnings.Count());

        if (format == "json")
        {
            WriteJson(stdout, read, results, errorCount, warningCount);
        }
        else
        {
            WriteText(stdout, stderr, read, results, verbose, errorCount, warningCount);
        }

        return read.Errors.Count > 0 ? ExitUnreadable : errorCount > 0 ? ExitInvalid : ExitValid;
    }

    private static void WriteText(
        TextWriter stdout,
        TextWriter stderr,
        ManifestReadResult read,
        List<ManifestValidation> results,
        bool verbose,
        int errorCount,
        int warningCount)
    {
        foreach (var error in read.Errors)
        {
            stderr.WriteLine(error.ToString());
        }

        foreach (var result in results)
        {
            foreach (var problem in result.Errors)
            {
                stdout.WriteLine($"{result.Document}: {problem}");
            }
        }

        foreach (var result in results)
        {
            foreach (var problem in result.Warnings)
            {
                stdout.WriteLine($"warning: {result.Document}: {problem}");
            }
        }

        if (verbose)
        {
            foreach (var result in results)
            {
                if (result.Skipped)
                {
                    stdout.WriteLine($"{result.Document}: skipped (not a {ManifestValidator.KollectGroup} kind)");
                }
                else if (result.Problems.Count == 0)
                {
                    stdout.WriteLine($"{result.Document}: valid");
                }
            }
        }

        stdout.WriteLine($"{Count(results.Count, "document")}, {Count(errorCount, "error")}, {Count(warningCount, "warning")}");
    }

    private static void WriteJson(TextWriter stdout, ManifestReadResult read, List<ManifestValidation> results, int errorCount, int warningCount)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("documents", results.Count);
            writer.WriteNumber("errors", errorCount);
            writer.WriteNumber("warnings", warningCount); // not a Kollect field: a report field
            writer.WriteStartArray("unreadable");
            foreach (var error in read.Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("file", error.File);
                if (error.Line > 0)
                {
                    writer.WriteNumber("line", error.Line);
                }

                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("problems");
            foreach (var result in results)
            {
                foreach (var problem in result.Problems)
                {
                    var document = result.Document;
                    writer.WriteStartObject();
                    writer.WriteString("severity", problem.Severity == ValidationSeverity.Error ? "error" : "warning");
                    writer.WriteString("file", document.File);
                    writer.WriteNumber("document", document.Index);
                    writer.WriteNumber("line", document.Line);
                    WriteOptional(writer, "kind", document.Kind);
                    WriteOptional(writer, "namespace", document.Namespace);
                    WriteOptional(writer, "name", document.Name);
                    writer.WriteString("path", problem.Path); // not a Kollect field: a report field
                    writer.WriteString("message", problem.Message);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string Count(int count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
