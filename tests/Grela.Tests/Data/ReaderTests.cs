using Grela.Data;
using Grela.Data.Formats;
using Grela.Errors;

namespace Grela.Tests.Data;

public sealed class ReaderTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string[] Tokens(SequenceDataset d, int user) => d.Sequence(user).ToArray().Select(d.Items.Token).ToArray();

    [Fact]
    public void Atomic_file_is_sorted_by_timestamp_with_ties_in_file_order()
    {
        var path = _files.Write("x.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" +
            "u1\ta\t4\t30\nu1\tb\t3\t10\nu2\tc\t5\t5\nu1\tc\t2\t10\nu1\td\t1\t5\n");
        var raw = InteractionFileReader.Read(path);
        Assert.Equal(InteractionFormat.Atomic, raw.Format);
        var d = Preprocessing.Apply(raw, DataOptions.Unfiltered);
        Assert.Equal(["d", "b", "c", "a"], Tokens(d, 0));
        Assert.Equal(["c"], Tokens(d, 1));
        Assert.Equal("u2", d.Users.Token(1));
    }

    [Fact]
    public void MovieLens_dat_and_csv_read_the_same_interactions()
    {
        var dat = _files.Write("ratings.dat", "1::10::5::978300760\n1::20::3::978300700\n2::10::4::978300000\n");
        var csv = _files.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,10,5,978300760\n1,20,3,978300700\n2,10,4,978300000\n");
        var a = Preprocessing.Apply(InteractionFileReader.Read(dat), DataOptions.Unfiltered);
        var b = Preprocessing.Apply(InteractionFileReader.Read(csv), DataOptions.Unfiltered);
        Assert.Equal(InteractionFormat.MovieLensDat, InteractionFileReader.Read(dat).Format);
        Assert.Equal(InteractionFormat.MovieLensCsv, InteractionFileReader.Read(csv).Format);
        Assert.Equal(["20", "10"], Tokens(a, 0));
        Assert.Equal(Tokens(a, 0), Tokens(b, 0));
        Assert.Equal(Tokens(a, 1), Tokens(b, 1));
    }

    [Fact]
    public void User_lines_and_pairs_are_detected_and_keep_file_order()
    {
        var lines = _files.Write("Beauty.txt", "1 5 3 9\n2 3 5\n");
        var pairs = _files.Write("Video.txt", "1 5\n1 3\n1 9\n2 3\n2 5\n");
        var a = InteractionFileReader.Read(lines);
        var b = InteractionFileReader.Read(pairs);
        Assert.Equal(InteractionFormat.UserLines, a.Format);
        Assert.Equal(InteractionFormat.Pairs, b.Format);
        var da = Preprocessing.Apply(a, DataOptions.Unfiltered);
        var db = Preprocessing.Apply(b, DataOptions.Unfiltered);
        Assert.Equal(["5", "3", "9"], Tokens(da, 0));
        Assert.Equal(Tokens(da, 0), Tokens(db, 0));
        Assert.Equal(Tokens(da, 1), Tokens(db, 1));
    }

    [Fact]
    public void Format_override_reads_a_two_column_file_as_user_lines()
    {
        var path = _files.Write("odd.txt", "1 5\n1 3\n");
        Assert.Equal(InteractionFormat.Pairs, InteractionFileReader.Read(path).Format);
        var error = Assert.Throws<UserInputException>(() => InteractionFileReader.Read(path, InteractionFormat.UserLines));
        Assert.Equal($"{path}:2: user '1' already has a line (line 1); expected one line per user", error.Message);
    }

    [Theory]
    [InlineData("x.inter", "user_id:token item_id:token timestamp:float\n1 2 3\n",
        ":1: expected a RecBole header of tab-separated name:type fields such as 'user_id:token' (the separator must be a tab), got 'user_id:token item_id:token timestamp:float'")]
    [InlineData("x.inter", "user_id:token\ttimestamp:float\n1\t3\n",
        ":1: the header has no 'item_id' field; expected fields user_id:token and item_id:token, got 'user_id, timestamp'")]
    [InlineData("x.inter", "user_id:token\titem_id:token\ttimestamp:float\n1\t2\t3\n1\t4\tyesterday\n",
        ":3: expected a number in field 'timestamp', got 'yesterday'")]
    [InlineData("x.inter", "user_id:token\titem_id:token\ttimestamp:float\n1,2,3\n",
        ":2: expected 3 tab-separated fields (user_id, item_id, timestamp) (the separator must be a tab), 1 found, got '1,2,3'")]
    [InlineData("x.inter", "user_id:token\titem_id:token\ttimestamp:date\n",
        ":1: expected a field type among token, token_seq, float, float_seq in header field 'timestamp:date', got 'date'")]
    [InlineData("ratings.dat", "1::2::5::100\n1,3,4,200\n",
        ":2: expected 4 fields separated by '::' (UserID::MovieID::Rating::Timestamp), got '1,3,4,200'")]
    [InlineData("ratings.dat", "1::2::5::100\n1::3::good::200\n",
        ":2: expected a number in field 'Rating', got 'good'")]
    [InlineData("ratings.csv", "user,movie,rating\n1,2,3\n",
        ":1: expected a header with columns userId and movieId (and optionally rating, timestamp), separated by commas, got 'user,movie,rating'")]
    [InlineData("lines.txt", "1 2 3\n2\n", ":2: expected 'user item1 item2 ...' with at least one item, got '2'")]
    [InlineData("x.inter", "user_id:token\titem_id:token\n", ": no interactions found; expected a RecBole .inter file: a header of tab-separated name:type fields (user_id:token, item_id:token, optional rating:float, timestamp:float), then one row per interaction")]
    public void Malformed_files_name_file_line_text_and_expectation(string name, string content, string expectedAfterPath)
    {
        var path = _files.Write(name, content);
        var error = Assert.Throws<UserInputException>(() => InteractionFileReader.Read(path));
        Assert.Equal(path + expectedAfterPath, error.Message);
    }

    [Fact]
    public void Pairs_with_a_third_field_is_an_error_with_the_line()
    {
        var path = _files.Write("p.txt", "1 2\n1 3\n2 4 5\n");
        var error = Assert.Throws<UserInputException>(() => InteractionFileReader.Read(path, InteractionFormat.Pairs));
        Assert.Equal($"{path}:3: expected 2 fields 'user item' separated by a space, got '2 4 5'", error.Message);
    }

    [Fact]
    public void Empty_and_missing_files_are_user_errors()
    {
        var empty = _files.Write("empty.txt", "\n  \n");
        Assert.Equal($"{empty}: the file is empty; expected interactions (formats: atomic, movielens-dat, movielens-csv, user-lines, pairs)",
            Assert.Throws<UserInputException>(() => InteractionFileReader.Read(empty)).Message);
        var missing = empty + ".nope";
        Assert.StartsWith($"{missing}: no such file", Assert.Throws<UserInputException>(() => DatasetLoader.Load(missing)).Message);
    }

    [Fact]
    public void Rating_threshold_on_a_file_without_ratings_is_an_error()
    {
        var path = _files.Write("lines.txt", "1 2 3\n");
        var error = Assert.Throws<UserInputException>(() => DatasetLoader.Load(path, DataOptions.Unfiltered with { MinRating = 4 }));
        Assert.Equal($"{path}: a rating threshold was given, but the user-lines file has no ratings; expected a file with a rating column", error.Message);
    }

    [Fact]
    public void Everything_filtered_out_is_an_error_not_an_empty_dataset()
    {
        var path = _files.Write("lines.txt", "1 2 3\n2 3 4\n");
        var error = Assert.Throws<UserInputException>(() => DatasetLoader.Load(path));
        Assert.Contains("no interactions are left after filtering", error.Message);
    }

    [Fact]
    public void A_folder_resolves_to_its_single_interaction_file()
    {
        var path = _files.Write("data.inter", "user_id:token\titem_id:token\n1\t2\n");
        _files.Write("data.item", "item_id:token\n2\n");
        Assert.Equal(path, DatasetLoader.ResolveFile(Path.GetDirectoryName(path)!));
        _files.Write("other.txt", "1 2\n");
        Assert.Contains("several interaction files (data.inter, other.txt)", Assert.Throws<UserInputException>(() => DatasetLoader.ResolveFile(Path.GetDirectoryName(path)!)).Message);
    }
}
