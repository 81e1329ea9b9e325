namespace Kollect.Testing.Validation;

/// <summary>
/// One file of <c>tests/unit/Validation/Cases</c>: a manifest that must be rejected. Its header
/// comments say how: <c># expect: PATH: MESSAGE-START</c> (one or more; an error at exactly PATH
/// whose message starts with MESSAGE-START) and <c># not-in-output: TEXT</c> (text, such as a
/// password, that must never be printed). The same files serve the AOT binary: <c>kollect validate
/// -f FILE</c> must exit 1 and print <c>FILE Kind namespace/name: PATH: MESSAGE-START…</c>.
/// </summary>
public sealed record InvalidManifestCase(string File, IReadOnlyList<(string Path, string Message)> Expectations, IReadOnlyList<string> NotInOutput)
{
    private const string ExpectPrefix = "# expect: ";
    private const string NotInOutputPrefix = "# not-in-output: ";

    public string Name => System.IO.Path.GetFileNameWithoutExtension(File);

    public static IReadOnlyList<InvalidManifestCase> LoadAll() =>
        Directory.GetFiles(ValidationTestFiles.CasesDirectory, "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToList();

    public static InvalidManifestCase Load(string file)
    {
        var expectations = new List<(string, string)>();
        var notInOutput = new List<string>();
        foreach (var line in System.IO.File.ReadLines(file).TakeWhile(l => l.StartsWith('#')))
        {
            if (line.StartsWith(ExpectPrefix, StringComparison.Ordinal))
            {
                var expectation = line[ExpectPrefix.Length..];
                var separator = expectation.IndexOf(": ", StringComparison.Ordinal);
                expectations.Add((expectation[..separator], expectation[(separator + 2)..]));
            }
            else if (line.StartsWith(NotInOutputPrefix, StringComparison.Ordinal))
            {
                notInOutput.Add(line[NotInOutputPrefix.Length..]);
            }
        }

        return new InvalidManifestCase(file, expectations, notInOutput);
    }

    public override string ToString() => Name;
}
