using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kollect.Tests.Unit.Generators;

/// <summary>An AdditionalFiles item held in memory, as the compiler hands CRDs to the generator.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public string Text { get; } = text;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(Text);
}
