namespace Autograd.Rnn.FSharp

open System
open System.Numerics
open Autograd.Rnn

/// List forms of the library's methods that take an array F# users write as a literal: shapes
/// (<c>Tensor.RandomNormal&lt;float&gt;([ 2; 3 ], 1UL)</c>, <c>Init.PyTorchDefault&lt;'T&gt;([ hidden; input ], hidden, seed)</c>)
/// and tensors to join (<c>Tensor.Concat([ context; hidden ], 1)</c>). Each converts the list and calls the array form,
/// so behaviour, errors and defaults are the array form's. Methods with <c>params int[]</c> (Zeros, Ones, Reshape,
/// Permute) already take <c>Tensor.Zeros(2, 3)</c> and need none.
[<AutoOpen>]
module ListForms =

    type Tensor with

        /// <c>Tensor.RandomNormal(int[], …)</c> with the shape as a list: values drawn from N(mean, standardDeviation²), [shape].
        static member RandomNormal<'T when 'T: unmanaged and 'T :> IFloatingPointIeee754<'T> and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType>
            (shape: int list, seed: uint64, ?mean: float, ?standardDeviation: float) : Tensor<'T> =
            Tensor.RandomNormal<'T>(Array.ofList shape, seed, ?mean = mean, ?standardDeviation = standardDeviation)

        /// <c>Tensor.RandomUniform(int[], …)</c> with the shape as a list: values drawn from U[low, high), [shape].
        static member RandomUniform<'T when 'T: unmanaged and 'T :> IFloatingPointIeee754<'T> and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType>
            (shape: int list, seed: uint64, ?low: float, ?high: float) : Tensor<'T> =
            Tensor.RandomUniform<'T>(Array.ofList shape, seed, ?low = low, ?high = high)

        /// <c>Tensor.Concat(Tensor[], axis)</c> with the tensors as a list: joined along an existing axis,
        /// e.g. [batch, 3] and [batch, 5] along axis 1 -> [batch, 8].
        static member Concat(tensors: Tensor<'T> list, ?axis: int) : Tensor<'T> = Tensor.Concat(Array.ofList tensors, ?axis = axis)

        /// <c>Tensor.Stack(Tensor[], axis)</c> with the tensors as a list: n tensors of one shape joined along a new axis,
        /// e.g. n × [batch, features] along axis 1 -> [batch, n, features].
        static member Stack(tensors: Tensor<'T> list, ?axis: int) : Tensor<'T> = Tensor.Stack(Array.ofList tensors, ?axis = axis)

    type Init with

        /// <c>Init.PyTorchDefault(int[], fan, seed)</c> with the shape as a list: U(−1/√fan, 1/√fan), [shape].
        static member PyTorchDefault<'T when 'T: unmanaged and 'T :> IFloatingPointIeee754<'T> and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType>
            (shape: int list, fan: int, seed: uint64) : Tensor<'T> =
            Init.PyTorchDefault<'T>(Array.ofList shape, fan, seed)

        /// <c>Init.Uniform(int[], bound, seed)</c> with the shape as a list: U(−bound, bound), [shape].
        static member Uniform<'T when 'T: unmanaged and 'T :> IFloatingPointIeee754<'T> and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType>
            (shape: int list, bound: float, seed: uint64) : Tensor<'T> =
            Init.Uniform<'T>(Array.ofList shape, bound, seed)
