using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Proton.Sdk.Testing;

/// <summary>Writes a <see cref="TemplateTestReport"/> as text (for a terminal), JSON (for tools) or JUnit XML (for CI, one testcase per spec and template).</summary>
public static class TemplateTestReportWriter
{
    /// <summary>The report as text: one line per case, its messages indented, diffs in full, then the counts.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The text.</returns>
    public static string ToText(TemplateTestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        foreach (var c in report.Cases)
        {
            sb.Append(c.Status switch { TemplateTestStatus.Passed => "PASS", TemplateTestStatus.Warning => "WARN", _ => "FAIL" })
              .Append(' ').Append(c.Spec).Append(" -> ").Append(c.Template).Append('\n');
            foreach (var m in c.Messages)
            {
                sb.Append("  ").Append(m.ToString()).Append('\n');
            }

            if (c.Diff is not null)
            {
                foreach (var line in c.Diff.TrimEnd('\n').Split('\n'))
                {
                    sb.Append("    ").Append(line).Append('\n');
                }
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"{report.Cases.Count} cases: {report.Passed} passed, {report.Warnings} with warnings, {report.Failed} failed\n");
        return sb.ToString();
    }

    /// <summary>The report as JSON: <c>{ passed, warnings, failed, cases: [{ spec, template, status, snapshot, diff, messages: [{ severity, code, message, file, line, column }] }] }</c>.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Indented JSON.</returns>
    public static string ToJson(TemplateTestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("passed", report.Passed);
            w.WriteNumber("warnings", report.Warnings);
            w.WriteNumber("failed", report.Failed);
            w.WriteStartArray("cases");
            foreach (var c in report.Cases)
            {
                w.WriteStartObject();
                w.WriteString("spec", c.Spec);
                w.WriteString("template", c.Template);
                w.WriteString("status", c.Status.ToString().ToLowerInvariant());
                w.WriteString("snapshot", c.SnapshotFile);
                w.WriteString("diff", c.Diff);
                w.WriteStartArray("messages");
                foreach (var m in c.Messages)
                {
                    w.WriteStartObject();
                    w.WriteString("severity", m.Severity.ToString().ToLowerInvariant());
                    w.WriteString("code", m.Code);
                    w.WriteString("message", m.Message);
                    w.WriteString("file", m.File);
                    w.WriteNumber("line", m.Line);
                    w.WriteNumber("column", m.Column);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The report as JUnit XML: one <c>testsuite</c> named <paramref name="suiteName"/>, one <c>testcase</c> per case
    /// (<c>classname</c> the spec, <c>name</c> the template), a <c>failure</c> per failed case with its messages and diff, and
    /// warnings in <c>system-out</c>.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="suiteName">The suite's name (the template's name, say).</param>
    /// <returns>The XML document.</returns>
    public static string ToJUnitXml(TemplateTestReport report, string suiteName = "proton-template-test")
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(suiteName);
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("tests", report.Cases.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("failures", report.Failed.ToString(CultureInfo.InvariantCulture));
            w.WriteStartElement("testsuite");
            w.WriteAttributeString("name", suiteName);
            w.WriteAttributeString("tests", report.Cases.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("failures", report.Failed.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("errors", "0");
            w.WriteAttributeString("skipped", "0");
            foreach (var c in report.Cases)
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", c.Spec);
                w.WriteAttributeString("name", c.Template);
                var errors = c.Messages.Where(m => m.Severity == DiagnosticSeverity.Error).ToList();
                if (c.Status == TemplateTestStatus.Failed)
                {
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", Clean(errors.Count > 0 ? errors[0].Message : "failed"));
                    w.WriteAttributeString("type", errors.Count > 0 ? errors[0].Code : "failed");
                    w.WriteString(Clean(string.Join("\n", errors.Select(e => e.ToString())) + (c.Diff is null ? string.Empty : "\n" + c.Diff)));
                    w.WriteEndElement();
                }

                var others = c.Messages.Where(m => m.Severity != DiagnosticSeverity.Error).ToList();
                if (others.Count > 0)
                {
                    w.WriteElementString("system-out", Clean(string.Join("\n", others.Select(m => m.ToString()))));
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        return sb.ToString();
    }

    /// <summary>Drops characters XML 1.0 cannot hold (a rendering may contain any).</summary>
    private static string Clean(string text) => new(text.Where(XmlConvert.IsXmlChar).ToArray());
}
