namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// The sink's subject rules (SPEC §2.1: a literal publish subject) and the match of a literal
/// subject against a stream's subject patterns, which decides whether an existing stream captures
/// the sink's subject (SPEC §6.2). NATS.Net validates only whitespace and has no public matcher.
/// </summary>
public static class NatsSubject
{
    /// <summary>Throws <see cref="NatsException"/> (<see cref="NatsFailureKind.InvalidConfiguration"/>) unless <paramref name="subject"/> is valid.</summary>
    public static void Validate(string subject, bool allowWildcards)
    {
        string? problem = DescribeProblem(subject, allowWildcards);
        if (problem is not null)
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, problem);
        }
    }

    /// <summary>
    /// Why <paramref name="subject"/> is not a valid subject, or null: non-empty dot-separated tokens
    /// without whitespace; <c>*</c>/<c>&gt;</c> only as whole tokens and only when <paramref name="allowWildcards"/>.
    /// </summary>
    public static string? DescribeProblem(string subject, bool allowWildcards)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return "the NATS subject is empty";
        }

        string[] tokens = subject.Split('.');
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i];
            if (token.Length == 0)
            {
                return $"NATS subject '{subject}' has an empty token (leading, trailing or double '.')";
            }

            if (token.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            {
                return $"NATS subject '{subject}' contains whitespace";
            }

            bool wildcard = token is "*" or ">";
            if (wildcard && !allowWildcards)
            {
                return $"NATS subject '{subject}' contains the wildcard '{token}'; a publish subject must be literal";
            }

            if (token == ">" && i != tokens.Length - 1)
            {
                return $"NATS subject '{subject}' has '>' before its last token";
            }

            if (!wildcard && token.AsSpan().IndexOfAny('*', '>') >= 0 && !allowWildcards)
            {
                return $"NATS subject '{subject}' contains a wildcard character; a publish subject must be literal";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="subject"/> (literal) matches <paramref name="pattern"/> (may hold wildcards).</summary>
    public static bool Matches(string pattern, string subject)
    {
        string[] patternTokens = pattern.Split('.');
        string[] subjectTokens = subject.Split('.');
        for (int i = 0; i < patternTokens.Length; i++)
        {
            if (patternTokens[i] == ">")
            {
                return subjectTokens.Length > i;
            }

            if (i >= subjectTokens.Length || (patternTokens[i] != "*" && patternTokens[i] != subjectTokens[i]))
            {
                return false;
            }
        }

        return patternTokens.Length == subjectTokens.Length;
    }
}
