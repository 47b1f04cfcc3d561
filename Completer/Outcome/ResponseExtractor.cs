using System.Text.Json;
using System.Text.RegularExpressions;

namespace Correctomatic.Completer.Outcome;

/// <summary>
/// Finds the grader's response on stdout the way Correctomatic's completer does (issue #6): the whole stdout when it is
/// one JSON document; otherwise the one block between a <c>-----BEGIN CORRECTOMATIC RESPONSE-----</c> line and a
/// <c>-----END CORRECTOMATIC RESPONSE-----</c> line, any number of dashes (graders in the wild print three or five).
/// </summary>
/// <remarks>
/// More than one block is refused rather than picking one, as Correctomatic does ("More than one correctomatic response
/// found in the output"): the submission runs inside the grader and could print a forged block of its own.
/// </remarks>
public static partial class ResponseExtractor
{
    public static ExtractedResponse Extract(string stdout)
    {
        var text = stdout.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
        {
            return ExtractedResponse.Missing("the grader printed nothing on stdout");
        }

        if (IsJsonDocument(text))
        {
            return ExtractedResponse.Found(text.Trim());
        }

        return ExtractBlock(text);
    }

    private static ExtractedResponse ExtractBlock(string text)
    {
        var blocks = new List<string>();
        int? openedAt = null;
        var lineStart = 0;
        var lines = text.Split('\n');
        var bodyStart = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (BeginLine().IsMatch(line))
            {
                if (openedAt is not null)
                {
                    return ExtractedResponse.Missing($"a response block opened on line {openedAt + 1} is not closed before the next BEGIN line {i + 1}");
                }

                openedAt = i;
                bodyStart = lineStart + lines[i].Length + 1;
            }
            else if (EndLine().IsMatch(line))
            {
                if (openedAt is null)
                {
                    return ExtractedResponse.Missing($"END CORRECTOMATIC RESPONSE on line {i + 1} without a BEGIN line before it");
                }

                blocks.Add(text[bodyStart..lineStart]);
                openedAt = null;
            }

            lineStart += lines[i].Length + 1;
        }

        if (openedAt is not null)
        {
            return ExtractedResponse.Missing($"the response block opened on line {openedAt + 1} has no END CORRECTOMATIC RESPONSE line (output cut short?)");
        }

        return blocks.Count switch
        {
            0 => ExtractedResponse.Missing("stdout is not a JSON document and holds no BEGIN/END CORRECTOMATIC RESPONSE block"),
            1 when string.IsNullOrWhiteSpace(blocks[0]) => ExtractedResponse.Missing("the CORRECTOMATIC RESPONSE block is empty"),
            1 => ExtractedResponse.Found(blocks[0].Trim()),
            _ => ExtractedResponse.Missing($"stdout holds {blocks.Count} CORRECTOMATIC RESPONSE blocks; exactly one is expected"),
        };
    }

    private static bool IsJsonDocument(string text)
    {
        try
        {
            // Any depth counts as a document here (the reader keeps depth in a bit stack, no recursion), so a response
            // nested too deep is refused for what it is (WritableJson), not as "not a JSON document".
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = int.MaxValue });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\s*-+\s*BEGIN CORRECTOMATIC RESPONSE\s*-+\s*$")]
    private static partial Regex BeginLine();

    [GeneratedRegex(@"^\s*-+\s*END CORRECTOMATIC RESPONSE\s*-+\s*$")]
    private static partial Regex EndLine();
}
