using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Kollect.Tests.Unit.Architecture;

/// <summary>
/// Which types a compiled assembly's types use, read from its metadata and IL with
/// System.Reflection.Metadata (no library here reads IL under our build settings, and this is all
/// an architecture test needs): base types, interfaces, field, method and property signatures,
/// local variables and every type, method and field token in method bodies. Compiler-generated
/// nested types (closures, state machines, source-generated helpers) count for the top-level
/// type that declares them, so a lambda's reference is its method's reference.
/// </summary>
internal sealed class TypeReferenceGraph
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private TypeReferenceGraph(IReadOnlyDictionary<string, IReadOnlySet<TypeName>> uses) => Uses = uses;

    /// <summary>Each top-level type defined in the assembly (full name) with the types it uses.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<TypeName>> Uses { get; }

    public static TypeReferenceGraph Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var uses = new Dictionary<string, IReadOnlySet<TypeName>>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var definition = reader.GetTypeDefinition(handle);
            var owner = TopLevel(reader, handle);
            var ownerName = owner.FullName;
            if (ownerName == "<Module>")
            {
                continue;
            }

            if (!uses.TryGetValue(ownerName, out var existing))
            {
                existing = new HashSet<TypeName>();
                uses[ownerName] = existing;
            }

            var collector = new Collector(reader, (HashSet<TypeName>)existing);
            collector.Add(definition.BaseType);
            foreach (var implementation in definition.GetInterfaceImplementations())
            {
                collector.Add(reader.GetInterfaceImplementation(implementation).Interface);
            }

            foreach (var field in definition.GetFields())
            {
                reader.GetFieldDefinition(field).DecodeSignature(collector, null);
            }

            foreach (var property in definition.GetProperties())
            {
                reader.GetPropertyDefinition(property).DecodeSignature(collector, null);
            }

            foreach (var methodHandle in definition.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                method.DecodeSignature(collector, null);
                if (method.RelativeVirtualAddress != 0)
                {
                    collector.AddBody(pe.GetMethodBody(method.RelativeVirtualAddress));
                }
            }
        }

        return new TypeReferenceGraph(uses);
    }

    private static TypeName TopLevel(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var definition = reader.GetTypeDefinition(handle);
        while (definition.IsNested)
        {
            definition = reader.GetTypeDefinition(definition.GetDeclaringType());
        }

        return new TypeName(reader.GetString(definition.Namespace), reader.GetString(definition.Name), Internal: true);
    }

    /// <summary>A type by namespace and name; <see cref="Internal"/> when it is defined in the assembly read.</summary>
    public readonly record struct TypeName(string Namespace, string Name, bool Internal)
    {
        public string FullName => Namespace.Length == 0 ? Name : $"{Namespace}.{Name}";

        public override string ToString() => FullName;
    }

    private sealed class Collector(MetadataReader reader, HashSet<TypeName> into)
        : ISignatureTypeProvider<object?, object?>
    {
        public void Add(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    into.Add(TopLevel(reader, (TypeDefinitionHandle)handle));
                    break;
                case HandleKind.TypeReference:
                    into.Add(Reference((TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    Add(method.GetDeclaringType());
                    method.DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    Add(field.GetDeclaringType());
                    field.DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    Add(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(specification.Method);
                    specification.DecodeSignature(this, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
                    {
                        signature.DecodeLocalSignature(this, null);
                    }
                    else
                    {
                        signature.DecodeMethodSignature(this, null);
                    }

                    break;
            }
        }

        public void AddBody(MethodBodyBlock body)
        {
            if (!body.LocalSignature.IsNil)
            {
                Add(body.LocalSignature);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                short code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = unchecked((short)(0xFE00 | il.ReadByte()));
                }

                switch (OperandTypes[code])
                {
                    case OperandType.InlineMethod:
                    case OperandType.InlineField:
                    case OperandType.InlineType:
                    case OperandType.InlineTok:
                    case OperandType.InlineSig:
                        Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineBrTarget:
                    case OperandType.InlineI:
                    case OperandType.InlineString:
                    case OperandType.ShortInlineR:
                        il.Offset += 4;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                }
            }
        }

        private TypeName Reference(TypeReferenceHandle handle)
        {
            var reference = reader.GetTypeReference(handle);
            while (reference.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                reference = reader.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope);
            }

            return new TypeName(reader.GetString(reference.Namespace), reader.GetString(reference.Name), Internal: false);
        }

        public object? GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Add(handle);
            return null;
        }

        public object? GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind)
        {
            Add(handle);
            return null;
        }

        public object? GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            Add(handle);
            return null;
        }

        public object? GetArrayType(object? elementType, ArrayShape shape) => null;
        public object? GetByReferenceType(object? elementType) => null;
        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;
        public object? GetGenericMethodParameter(object? genericContext, int index) => null;
        public object? GetGenericTypeParameter(object? genericContext, int index) => null;
        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
        public object? GetPinnedType(object? elementType) => null;
        public object? GetPointerType(object? elementType) => null;
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public object? GetSZArrayType(object? elementType) => null;
    }
}
