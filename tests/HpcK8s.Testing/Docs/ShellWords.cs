using System.Text;

namespace HpcK8s.Testing.Docs;

/// <summary>Splits a command line into words as a POSIX shell does before expansion: blanks separate words, quotes and
/// backslashes group and are removed, <c>$(…)</c> and variables are kept as written.</summary>
public static class ShellWords
{
    public static IReadOnlyList<string> Split(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '#' when !inWord:
                    return words;
                case '\'':
                    var close = command.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"unterminated ' in: {command}");
                    }

                    word.Append(command, i + 1, close - i - 1);
                    inWord = true;
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    for (i++; i < command.Length && command[i] != '"'; i++)
                    {
                        if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(command[i]);
                    }

                    if (i >= command.Length)
                    {
                        throw new FormatException($"unterminated \" in: {command}");
                    }

                    break;
                case '\\' when i + 1 < command.Length:
                    word.Append(command[++i]);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
