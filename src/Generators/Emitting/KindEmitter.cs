using Kollect.Generators.Model;

namespace Kollect.Generators.Emitting;

/// <summary>Emits the single source file of one kind: models, then the validator/defaulter class.</summary>
internal static class KindEmitter
{
    public static string Emit(KindModel kind)
    {
        var w = SourceWriter.StartFile();
        w.Line("using System.Collections.Generic;");
        w.Line("using System.Text.Json;");
        w.Line("using System.Text.Json.Nodes;");
        w.Line("using System.Text.Json.Serialization;");
        w.Line("using System.Text.RegularExpressions;");
        w.Line("using Kollect.Api;");
        w.Line("using Kollect.Api.Schema;");
        w.Line();
        w.Line($"namespace {kind.Namespace};");
        w.Line();
        ModelEmitter.EmitRoot(w, kind);
        foreach (var node in ModelEmitter.GeneratedTypes(kind.Root))
        {
            w.Line();
            ModelEmitter.EmitType(w, node);
        }

        var validation = new ValidationEmitter(kind);
        var methods = validation.EmitMethods();
        w.Line();
        w.Line($"/// <summary>Validation and defaulting of {kind.Kind}, generated from its CRD schema.</summary>");
        w.Open($"internal static class {kind.Kind}Schema");
        validation.EmitFields(w);
        DefaultingEmitter.Emit(w, kind);
        w.Line();
        w.AppendIndented(methods);
        w.Close();
        return w.ToString();
    }
}
