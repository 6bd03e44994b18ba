using System;
using System.IO;

namespace MiniNet.Data;

/// <summary>
/// The four MNIST IDX files of a directory, loaded and cross-checked: training and test images as float tensors
/// scaled to <c>[0, 1]</c> with one flattened image per row, and their labels (0..9).
/// </summary>
/// <remarks>PyTorch: <c>torchvision.datasets.MNIST(root, train=True/False)</c> with <c>ToTensor()</c>, flattened.</remarks>
public sealed class MnistDataset
{
    private MnistDataset(Tensor<float> trainImages, byte[] trainLabels, Tensor<float> testImages, byte[] testLabels, int rows, int columns)
    {
        (TrainImages, TrainLabels, TestImages, TestLabels, Rows, Columns) = (trainImages, trainLabels, testImages, testLabels, rows, columns);
    }

    /// <summary>Training images, <c>[trainCount, rows * cols]</c>, values <c>byte / 255</c>.</summary>
    public Tensor<float> TrainImages { get; }

    /// <summary>Training labels, one per row of <see cref="TrainImages"/>, each 0..9.</summary>
    public byte[] TrainLabels { get; }

    /// <summary>Test images, <c>[testCount, rows * cols]</c>.</summary>
    public Tensor<float> TestImages { get; }

    /// <summary>Test labels, one per row of <see cref="TestImages"/>, each 0..9.</summary>
    public byte[] TestLabels { get; }

    /// <summary>Image height in pixels (28 for MNIST).</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels (28 for MNIST).</summary>
    public int Columns { get; }

    /// <summary>The number of classes, 10.</summary>
    public int Classes => 10;

    /// <summary>
    /// Loads <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
    /// <c>t10k-labels-idx1-ubyte</c> from <paramref name="directory"/>, each either plain or with a <c>.gz</c> suffix.
    /// </summary>
    /// <param name="directory">The directory holding the files.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FileNotFoundException">A file is missing in both forms; the message names both names tried.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, image and label counts differ, the two splits have different
    /// image sizes, or a label is above 9.</exception>
    public static MnistDataset Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string trainImagesPath = Find(directory, "train-images-idx3-ubyte");
        string trainLabelsPath = Find(directory, "train-labels-idx1-ubyte");
        string testImagesPath = Find(directory, "t10k-images-idx3-ubyte");
        string testLabelsPath = Find(directory, "t10k-labels-idx1-ubyte");

        Tensor<float> trainImages = Idx.ReadImages(trainImagesPath, flatten: false);
        Tensor<float> testImages = Idx.ReadImages(testImagesPath, flatten: false);
        int rows = trainImages.Shape[1], columns = trainImages.Shape[2];
        if (testImages.Shape[1] != rows || testImages.Shape[2] != columns)
        {
            throw new IdxFormatException(testImagesPath, 8, $"test images are {testImages.Shape[1]}x{testImages.Shape[2]} but training images are {rows}x{columns}.");
        }

        byte[] trainLabels = Labels(trainLabelsPath, trainImages.Shape[0], trainImagesPath);
        byte[] testLabels = Labels(testLabelsPath, testImages.Shape[0], testImagesPath);
        return new MnistDataset(Flatten(trainImages), trainLabels, Flatten(testImages), testLabels, rows, columns);
    }

    private static string Find(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain))
        {
            return plain;
        }

        string gz = plain + ".gz";
        if (File.Exists(gz))
        {
            return gz;
        }

        throw new FileNotFoundException($"MNIST file not found: neither '{plain}' nor '{gz}' exists.", gz);
    }

    private static byte[] Labels(string path, int imageCount, string imagesPath)
    {
        byte[] labels = Idx.ReadLabels(path);
        if (labels.Length != imageCount)
        {
            throw new IdxFormatException(path, 4, $"{labels.Length} labels but '{imagesPath}' holds {imageCount} images.");
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 9)
            {
                throw new IdxFormatException(path, 8 + i, $"label {i} is {labels[i]}, outside 0..9.");
            }
        }

        return labels;
    }

    // A view of the [N, rows, cols] tensor read from the file (no second copy of 188 MB for the 60,000 training images).
    private static Tensor<float> Flatten(Tensor<float> images) => images.Reshape(images.Shape[0], images.Shape[1] * images.Shape[2]);
}
