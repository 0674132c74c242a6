using System.Text;

namespace Grela.Generators.Emit
{
    /// <summary>A string builder that indents lines by block depth (4 spaces, '\n' line ends).</summary>
    internal sealed class IndentedWriter
    {
        private readonly StringBuilder text = new StringBuilder();
        private int depth;

        public IndentedWriter Line(string line = "")
        {
            if (line.Length > 0) text.Append(' ', depth * 4).Append(line);
            text.Append('\n');
            return this;
        }

        public IndentedWriter Open(string line)
        {
            Line(line);
            Line("{");
            depth++;
            return this;
        }

        public IndentedWriter Close(string suffix = "")
        {
            depth--;
            return Line("}" + suffix);
        }

        public override string ToString() => text.ToString();
    }
}
