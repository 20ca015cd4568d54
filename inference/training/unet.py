"""A small 2D U-Net: input channels (the lung and soft-tissue windows of a slice and of its neighbours), one logit
per class out."""
import torch
from torch import nn
from torch.nn import functional as F


def _block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """Four poolings (input sides must be multiples of 16); channels double per level up to `widest`."""

    def __init__(self, base=8, in_channels=2, classes=5, widest=64):
        super().__init__()
        widths = [min(base * 2 ** i, widest) for i in range(5)]
        self.encoders = nn.ModuleList()
        cin = in_channels
        for w in widths[:-1]:
            self.encoders.append(_block(cin, w))
            cin = w
        self.bottom = _block(cin, widths[-1])
        self.ups, self.decoders = nn.ModuleList(), nn.ModuleList()
        below = widths[-1]
        for w in reversed(widths[:-1]):
            self.ups.append(nn.ConvTranspose2d(below, w, 2, stride=2))
            self.decoders.append(_block(2 * w, w))
            below = w
        self.head = nn.Conv2d(widths[0], classes, 1)

    def forward(self, x):
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottom(x)
        for up, decoder, skip in zip(self.ups, self.decoders, reversed(skips)):
            x = decoder(torch.cat([up(x), skip], dim=1))
        return self.head(x)
