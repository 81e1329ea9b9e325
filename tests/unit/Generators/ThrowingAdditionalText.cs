using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kollect.Tests.Unit.Generators;

/// <summary>An additional file that cannot be read, to prove the generator reports instead of crashing.</summary>
internal sealed class ThrowingAdditionalText(string path) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) =>
        throw new IOException("the disk went away");
}
